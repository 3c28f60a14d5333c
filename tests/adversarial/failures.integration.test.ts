import { randomUUID } from 'node:crypto';
import { Secret, TOTP } from 'otpauth';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { ACTION_FAILURES, type ActionResult } from '@/lib/action-result';
import { API_MESSAGES } from '@/lib/api/errors';
import { changePasswordAction, confirmSecondFactorAction, disableSecondFactorAction, resetPasswordAction } from '@/lib/account/actions';
import { confirmSecondFactor, startSecondFactorSetup } from '@/lib/account/mutations';
import { signOutEverywhereAction } from '@/lib/auth/actions';
import { hashPassword } from '@/lib/auth/password';
import { db, provider } from '@/lib/db';
import { redeployAction, retryDeploymentAction, updateDeployHookAction } from '@/lib/deploys/actions';
import {
  acceptInviteAction,
  changeRoleAction,
  createInviteAction,
  createPasswordResetLinkAction,
  removeMemberAction,
  revokeInviteAction,
} from '@/lib/members/actions';
import { createInvite, createPasswordResetLink } from '@/lib/members/mutations';
import { createProjectAction, renameProjectAction, setSecondFactorRequirementAction } from '@/lib/projects/actions';
import { createProject } from '@/lib/projects/mutations';
import { createSecretAction, deleteSecretAction, secretHistoryAction, updateSecretAction } from '@/lib/secrets/actions';
import { createSecret } from '@/lib/secrets/mutations';
import { createTokenAction, revokeTokenAction } from '@/lib/tokens/actions';
import { createToken } from '@/lib/tokens/mutations';
import { createTokenSchema } from '@/lib/tokens/schemas';
import { apiError, callApi, errorOf, type ApiServer } from '../support/api-server';
import { startApiTeam, type ApiTeam } from '../support/api-team';
import { allRows, secretRows } from '../support/db-state';
import { environmentId, makeUser, type Team } from '../support/fixtures';
import { signInAs } from '../support/session';

// The two tests the suite lacked (issue 7), on real faults of a real SQLite
// database:
//  (a) An unexpected error's message never reaches the browser: a corrupted
//      row makes the data layer throw an error that quotes it; the action
//      answers its generic failure sentence and the log line names the
//      failure without the message.
//  (b) An audit event is written in its change's transaction: a trigger makes
//      the audit insert of one chosen action fail, and the change itself is
//      rolled back — the database is exactly as before. The browser (and the
//      API) get only the generic message, the log no trace of the driver error.

const CANARY = `canary${randomUUID().replace(/-/g, '')}`;
const logged: string[] = [];

let team: Team;
let production: string, staging: string;
let api: ApiTeam;
let server: ApiServer;
let writeToken: string;

/** From now on, inserting an audit event with this action fails: a real database error, the canary in the driver error Prisma wraps. */
const refuseAudit = (action: string) => db.$executeRawUnsafe(`INSERT INTO "AuditRefusal" (action) VALUES (${provider === 'postgresql' ? '$1' : '?'})`, action);

const allowAudits = () => db.$executeRawUnsafe('DELETE FROM "AuditRefusal"');

const secretInput = (key: string) => ({ key, value: `value-${CANARY}`, description: '', type: 'OTHER' as const });

beforeAll(async () => {
  for (const level of ['log', 'info', 'warn', 'error'] as const) {
    vi.spyOn(console, level).mockImplementation((...args: unknown[]) => {
      logged.push(args.map((a) => (a instanceof Error ? `${a.message}\n${a.stack}` : String(a))).join(' '));
    });
  }
  api = await startApiTeam('Failures');
  ({ team, production, writeToken, server } = api);
  staging = await environmentId(team.projectId, 'staging');
  await db.$executeRawUnsafe('CREATE TABLE "AuditRefusal" (action TEXT PRIMARY KEY)');
  if (provider === 'postgresql') {
    await db.$executeRawUnsafe(
      `CREATE FUNCTION audit_refusal() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         IF EXISTS (SELECT 1 FROM "AuditRefusal" WHERE action = NEW.action) THEN
           RAISE EXCEPTION 'audit insert refused: ${CANARY}';
         END IF;
         RETURN NEW;
       END $$`,
    );
    await db.$executeRawUnsafe('CREATE TRIGGER audit_refusal BEFORE INSERT ON "AuditEvent" FOR EACH ROW EXECUTE FUNCTION audit_refusal()');
  } else {
    await db.$executeRawUnsafe(
      `CREATE TRIGGER "audit_refusal" BEFORE INSERT ON "AuditEvent"
       WHEN EXISTS (SELECT 1 FROM "AuditRefusal" WHERE action = NEW.action)
       BEGIN SELECT RAISE(ABORT, 'audit insert refused: ${CANARY}'); END`,
    );
  }
});

afterEach(() => allowAudits());

afterAll(async () => {
  await api.close();
  vi.restoreAllMocks();
});

/** Runs `act` with the audit insert of `action` failing; the answer must be `generic`, the log clean, the database unchanged. */
async function expectRolledBack(
  action: string,
  generic: string,
  act: () => Promise<ActionResult<unknown>>,
  /** What may differ by design, taken out of both sides (e.g. a second-factor code used up before the change). */
  normalize: (rows: Awaited<ReturnType<typeof allRows>>) => unknown = (rows) => rows,
) {
  await refuseAudit(action);
  const before = normalize(await allRows());
  const from = logged.length;
  const result = await act();
  await allowAudits();
  expect(result).toEqual({ ok: false, error: generic, code: 'failed' });
  expect(JSON.stringify(result)).not.toContain(CANARY);
  const lines = logged.slice(from).join('\n');
  expect(lines, 'the unexpected error is logged').toContain(`[keyhold] ${generic}`);
  expect(lines).not.toContain(CANARY);
  expect(normalize(await allRows())).toEqual(before);
}

describe("an unexpected error's message never reaches the browser or the log", () => {
  it('a corrupted audit row (its message quotes the row) answers the generic message; the log names the failure only', async () => {
    signInAs(team.admin);
    const { id } = await createSecret(team.projectId, production, secretInput('CORRUPTED_HISTORY'));
    // V8 quotes the first 10 characters of what it could not parse: all of this canary.
    const canary = `leak${randomUUID().slice(0, 6)}`;
    await db.auditEvent.updateMany({ where: { targetId: id }, data: { details: canary } });
    const thrown = await Promise.resolve()
      .then(() => JSON.parse(canary))
      .catch((e: Error) => e.message);
    expect(thrown, 'the real error carries the canary').toContain(canary);

    const from = logged.length;
    const result = await secretHistoryAction(team.projectId, id);
    expect(result).toEqual({ ok: false, error: 'Failed to load the change history. Please, try again.', code: 'failed' });
    const lines = logged.slice(from).join('\n');
    expect(lines).toContain('[keyhold] Failed to load the change history. Please, try again. (SyntaxError)');
    expect(lines).not.toContain(canary);
  });
});

describe('an audit insert that fails rolls its change back, and the browser gets only the generic message', () => {
  it('creating a secret', async () => {
    signInAs(team.admin);
    await expectRolledBack('secret.created', 'Failed to create secret. Please, try again.', () =>
      createSecretAction(team.projectId, production, secretInput('AUDIT_FAILS_ON_CREATE')),
    );
  });

  it('changing a value', async () => {
    signInAs(team.admin);
    const { id } = await createSecret(team.projectId, production, secretInput('AUDIT_FAILS_ON_UPDATE'));
    await expectRolledBack('secret.value_changed', 'Failed to update secret. Please, try again.', () =>
      updateSecretAction(team.projectId, id, { value: `new-${CANARY}`, description: '', type: 'OTHER', revision: 1 }),
    );
  });

  it('deleting a secret', async () => {
    signInAs(team.admin);
    const { id } = await createSecret(team.projectId, production, secretInput('AUDIT_FAILS_ON_DELETE'));
    await expectRolledBack('secret.deleted', 'Failed to delete secret. Please, try again.', () => deleteSecretAction(team.projectId, id));
  });

  it('redeploying (the snapshot)', async () => {
    signInAs(team.admin);
    await createSecret(team.projectId, staging, secretInput('AUDIT_FAILS_ON_REDEPLOY'));
    await expectRolledBack('deploy.created', ACTION_FAILURES.redeploy, () => redeployAction(team.projectId, staging));
  });

  it('saving a deploy hook', async () => {
    signInAs(team.admin);
    await expectRolledBack('deploy_hook.updated', ACTION_FAILURES.updateDeployHook, () =>
      updateDeployHookAction(team.projectId, staging, { url: 'https://93.184.215.14/hooks/audit', signingSecretId: '' }),
    );
  });

  it('creating and revoking a service token', async () => {
    signInAs(team.admin);
    await expectRolledBack('token.created', 'Failed to create the token. Please, try again.', () =>
      createTokenAction(team.projectId, { name: 'audit-fails', environmentId: production, scope: 'read', expiry: 'never' }),
    );
    const { id } = await createToken(team.projectId, createTokenSchema.parse({ name: 'to-revoke', environmentId: production, scope: 'read', expiry: '7' }));
    await expectRolledBack('token.revoked', 'Failed to revoke the token. Please, try again.', () => revokeTokenAction(team.projectId, id));
  });

  it('inviting, revoking an invite, changing a role and removing a member', async () => {
    signInAs(team.owner);
    await expectRolledBack('member.invited', 'Failed to create the invite. Please, try again.', () =>
      createInviteAction(team.projectId, { email: 'audit-fails@example.test', role: 'MEMBER' }),
    );
    await createInvite(team.projectId, { email: 'pending@example.test', role: 'MEMBER' });
    const invite = await db.invite.findFirstOrThrow({ where: { projectId: team.projectId, email: 'pending@example.test' } });
    await expectRolledBack('member.invite_revoked', 'Failed to revoke the invite. Please, try again.', () => revokeInviteAction(team.projectId, invite.id));
    const membership = await db.membership.findFirstOrThrow({ where: { projectId: team.projectId, userId: team.member.id } });
    await expectRolledBack('member.role_changed', 'Failed to change the role. Please, try again.', () =>
      changeRoleAction(team.projectId, membership.id, 'ADMIN'),
    );
    await expectRolledBack('member.removed', 'Failed to remove the member. Please, try again.', () => removeMemberAction(team.projectId, membership.id));
  });

  it('joining through an invite link (no account, no membership, the link still valid)', async () => {
    signInAs(team.owner);
    const { token } = await createInvite(team.projectId, { email: 'joiner@example.test', role: 'MEMBER' });
    signInAs(null);
    await expectRolledBack('member.joined', 'Failed to join the project. Please, try again.', () =>
      acceptInviteAction(token, { name: 'Joiner', password: `pw-${CANARY}` }),
    );
  });

  it('creating and renaming a project, and signing out everywhere', async () => {
    const user = await makeUser('Projects');
    signInAs(user);
    await expectRolledBack('project.created', 'Failed to create project. Please, try again.', () => createProjectAction({ name: 'Audit fails' }));
    signInAs(team.owner);
    await expectRolledBack('project.renamed', 'Failed to rename project. Please, try again.', () => renameProjectAction(team.projectId, { name: 'Renamed' }));
    await expectRolledBack('user.signed_out_everywhere', 'Failed to sign out everywhere. Please, try again.', () => signOutEverywhereAction());
  });

  it('a deployment whose success cannot be audited does not go live', async () => {
    signInAs(team.admin);
    await createSecret(team.projectId, production, secretInput('AUDIT_FAILS_ON_SUCCESS'));
    await refuseAudit('deploy.succeeded');
    const result = await redeployAction(team.projectId, production);
    expect(result).toEqual({ ok: false, error: ACTION_FAILURES.redeploy, code: 'failed' });
    const deployment = await db.deployment.findFirstOrThrow({ where: { environmentId: production }, orderBy: { number: 'desc' } });
    expect(deployment.status).toBe('RUNNING');
    expect(await db.auditEvent.count({ where: { targetId: deployment.id, action: 'deploy.succeeded' } })).toBe(0);
    // A retry is refused while it is still being delivered, and goes live once the audit works again.
    expect(await retryDeploymentAction(team.projectId, deployment.id)).toEqual({
      ok: false,
      error: `Deployment #${deployment.number} is running and cannot be retried.`,
      code: 'conflict',
    });
    expect(logged.join('\n')).not.toContain(CANARY);
  });
});

describe('the API answers a real unexpected failure 500 with its generic message, and writes nothing', () => {
  const internal = apiError(500, 'internal_error', API_MESSAGES.internal);

  it('POST, PATCH and DELETE /api/v1/secrets', async () => {
    signInAs(team.admin);
    const { id } = await createSecret(team.projectId, production, secretInput('API_AUDIT_FAILS'));
    await refuseAudit('secret.created');
    await refuseAudit('secret.value_changed');
    await refuseAudit('secret.deleted');
    // API calls record token use (last used, first use from an address): compare the secrets side.
    const before = await secretRows();
    const from = logged.length;
    const answers = [
      await callApi(server, '/api/v1/secrets', { method: 'POST', token: writeToken, body: { name: 'API_NEW', value: `v-${CANARY}` } }),
      await callApi(server, `/api/v1/secrets/${id}`, { method: 'PATCH', token: writeToken, body: { value: `v2-${CANARY}` } }),
      await callApi(server, `/api/v1/secrets/${id}`, { method: 'DELETE', token: writeToken }),
    ];
    for (const answer of answers) {
      expect(errorOf(answer)).toEqual(internal);
      expect(answer.text).not.toContain(CANARY);
    }
    const lines = logged.slice(from).join('\n');
    expect(lines.match(/\[keyhold\] api request failed/g)).toHaveLength(3);
    expect(lines).not.toContain(CANARY);
    expect(await secretRows()).toEqual(before);
  });
});

describe('an audit insert that fails rolls an account change back, and the browser gets only the generic message', () => {
  const PASSWORD = `pw-${CANARY}`;
  const STEP_MS = 30_000;
  // Only Date is faked: TOTP steps are exact and each code's step can be moved past.
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Math.floor(Date.now() / STEP_MS) * STEP_MS + STEP_MS / 2);
  });
  afterEach(() => vi.useRealTimers());
  const code = (secret: string) => TOTP.generate({ secret: Secret.fromBase32(secret), timestamp: Date.now() });
  const nextStep = () => vi.setSystemTime(Date.now() + STEP_MS);

  async function person(name: string) {
    const user = await makeUser(name);
    await db.user.update({ where: { id: user.id }, data: { passwordHash: await hashPassword(PASSWORD) } });
    return user;
  }

  /** A person with a password and a second factor turned on (the enrolling code's step used up). */
  async function withSecondFactor(name: string) {
    const user = await person(name);
    signInAs(user);
    const { secret } = await startSecondFactorSetup();
    await confirmSecondFactor(code(secret));
    nextStep();
    return { user, secret };
  }

  it('turning the second factor on (confirming the enrolment)', async () => {
    const user = await person('Enrol');
    signInAs(user);
    const { secret } = await startSecondFactorSetup();
    await expectRolledBack('account.second_factor_enabled', 'Failed to turn on the second factor. Please, try again.', () =>
      confirmSecondFactorAction({ code: code(secret) }),
    );
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).totpEnabledAt).toBeNull();
    expect(await db.recoveryCode.count({ where: { userId: user.id } })).toBe(0);
  });

  it('turning the second factor off', async () => {
    const { user, secret } = await withSecondFactor('Disable');
    const recoveryCodes = await db.recoveryCode.findMany({ where: { userId: user.id }, orderBy: { id: 'asc' } });
    // The code is used up before the change (lib/auth/second-factor.ts: a code is accepted once, whatever follows),
    // so the user's totpLastStep moves on by design; everything else stays as it was.
    const withoutLastStep = (rows: Awaited<ReturnType<typeof allRows>>) => ({
      ...rows,
      users: rows.users.map((u) => (u.id === user.id ? { ...u, totpLastStep: null } : u)),
    });
    await expectRolledBack(
      'account.second_factor_disabled',
      'Failed to turn off the second factor. Please, try again.',
      () => disableSecondFactorAction({ password: PASSWORD, code: code(secret) }),
      withoutLastStep,
    );
    const row = await db.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(row.totpEnabledAt).not.toBeNull();
    expect(row.totpSecret).not.toBeNull();
    expect(await db.recoveryCode.findMany({ where: { userId: user.id }, orderBy: { id: 'asc' } })).toEqual(recoveryCodes);
  });

  it('changing the password', async () => {
    const user = await person('Change');
    signInAs(user);
    await expectRolledBack('account.password_changed', 'Failed to change the password. Please, try again.', () =>
      changePasswordAction({ currentPassword: PASSWORD, newPassword: `new-${CANARY}` }),
    );
  });

  it('creating a password reset link, and setting a password with one (the link still valid)', async () => {
    const { projectId, owner } = team;
    const member = await person('Reset');
    const membership = await db.membership.create({ data: { projectId, userId: member.id, role: 'MEMBER' } });
    signInAs(owner);
    const links = await db.passwordReset.count();
    await expectRolledBack('member.password_reset_link_created', 'Failed to create the reset link. Please, try again.', () =>
      createPasswordResetLinkAction(projectId, membership.id),
    );
    expect(await db.passwordReset.count()).toBe(links);
    const { token } = await createPasswordResetLink(projectId, membership.id);
    const link = await db.passwordReset.findMany({ where: { userId: member.id } });
    signInAs(null);
    await expectRolledBack('account.password_reset', 'Failed to set the new password. Please, try again.', () =>
      resetPasswordAction(token, { password: `reset-${CANARY}` }),
    );
    expect(await db.passwordReset.findMany({ where: { userId: member.id } })).toEqual(link);
    expect(await resetPasswordAction(token, { password: `reset-${CANARY}` })).toMatchObject({ ok: true });
  });

  it('requiring a second factor in a project', async () => {
    const { user } = await withSecondFactor('Requirer');
    signInAs(user);
    const { slug } = await createProject({ name: `Requires ${randomUUID().slice(0, 6)}` });
    const project = await db.project.findUniqueOrThrow({ where: { slug } });
    await expectRolledBack('project.second_factor_required', 'Failed to save the second-factor setting. Please, try again.', () =>
      setSecondFactorRequirementAction(project.id, { required: true }),
    );
    expect((await db.project.findUniqueOrThrow({ where: { id: project.id } })).requireSecondFactor).toBe(false);
  });
});
