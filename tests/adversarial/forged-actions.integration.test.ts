import { beforeAll, describe, expect, it } from 'vitest';
import { db } from '@/lib/db';
import { changePasswordAction, confirmSecondFactorAction, disableSecondFactorAction, startSecondFactorSetupAction } from '@/lib/account/actions';
import { signOutEverywhereAction } from '@/lib/auth/actions';
import { findSigningSecretsAction, previewRedeployAction, redeployAction, retryDeploymentAction, updateDeployHookAction } from '@/lib/deploys/actions';
import { MESSAGES as DEPLOY_MESSAGES } from '@/lib/deploys/schemas';
import { redeploy } from '@/lib/deploys/mutations';
import { changeRoleAction, createInviteAction, createPasswordResetLinkAction, removeMemberAction, revokeInviteAction } from '@/lib/members/actions';
import { createInvite } from '@/lib/members/mutations';
import { createProjectAction, renameProjectAction, setSecondFactorRequirementAction } from '@/lib/projects/actions';
import { deniedMessage } from '@/lib/permissions';
import { createSecretAction, deleteSecretAction, secretHistoryAction, updateSecretAction } from '@/lib/secrets/actions';
import { createSecret } from '@/lib/secrets/mutations';
import { SECRET_GONE } from '@/lib/secrets/authorized';
import { createTokenAction, revokeTokenAction } from '@/lib/tokens/actions';
import { createToken } from '@/lib/tokens/mutations';
import { createTokenSchema, TOKEN_MESSAGES } from '@/lib/tokens/schemas';
import type { ActionResult } from '@/lib/action-result';
import { migrateTestDatabase } from '../support/db';
import { allRows } from '../support/db-state';
import { environmentId, makeTeam, secretInput, type Team } from '../support/fixtures';
import { signInAs } from '../support/session';

// Forged server actions (issue 7): every action of secrets, deploys, tokens,
// members and projects, called directly as a public POST endpoint would be —
// by a member, by a stranger, signed out, and with another project's ids.
// Each answer is the exact refusal, and the whole database is unchanged.

const SIGNED_OUT = 'Your session has ended. Sign in again.';
const NO_ACCESS = "You don't have access to this project.";
const NOT_SECRETS = "You don't have permission to manage secrets.";
const OWNERS_ONLY = 'Only project owners can manage members.';
const NOT_RENAME = 'Only owners and admins can rename the project.';
const PUBLIC_HOOK = 'https://93.184.215.14/hooks/forged';

let team: Team;
/** Ids in project A (team.projectId) and in project B (team.otherProjectId, the outsider's). */
const A = {} as {
  production: string;
  staging: string;
  secretId: string;
  deploymentId: string;
  tokenId: string;
  inviteId: string;
  memberMembershipId: string;
  ownerMembershipId: string;
};
const B = {} as { production: string; secretId: string; deploymentId: string; tokenId: string; inviteId: string; ownerMembershipId: string };

const tokenInput = (environmentId: string) => ({ name: 'forged', environmentId, scope: 'read-write' as const, expiry: 'never' as const });

/** Every action of project A, with A's ids: what a forged POST could call. */
type Area = keyof typeof MEMBER_REFUSAL;
const OWNER_ONLY_AREAS: Area[] = ['members', 'reset', 'policy'];

function everyActionOnA(): [string, () => Promise<ActionResult<unknown>>, Area][] {
  return [
    ['createSecretAction', () => createSecretAction(team.projectId, A.production, secretInput('FORGED_KEY')), 'secrets'],
    ['updateSecretAction', () => updateSecretAction(team.projectId, A.secretId, { value: 'forged', description: 'x', type: 'OTHER', revision: 1 }), 'secrets'],
    ['deleteSecretAction', () => deleteSecretAction(team.projectId, A.secretId), 'secrets'],
    ['secretHistoryAction', () => secretHistoryAction(team.projectId, A.secretId), 'secrets'],
    ['previewRedeployAction', () => previewRedeployAction(team.projectId, A.production), 'deploy'],
    ['redeployAction', () => redeployAction(team.projectId, A.production), 'deploy'],
    ['retryDeploymentAction', () => retryDeploymentAction(team.projectId, A.deploymentId), 'deploy'],
    ['updateDeployHookAction', () => updateDeployHookAction(team.projectId, A.production, { url: PUBLIC_HOOK, signingSecretId: '' }), 'hook'],
    ['findSigningSecretsAction', () => findSigningSecretsAction(team.projectId, A.production, 'A_'), 'hook'],
    ['createTokenAction', () => createTokenAction(team.projectId, tokenInput(A.production)), 'tokens'],
    ['revokeTokenAction', () => revokeTokenAction(team.projectId, A.tokenId), 'tokens'],
    ['createInviteAction', () => createInviteAction(team.projectId, { email: 'forged@example.test', role: 'ADMIN' }), 'members'],
    ['revokeInviteAction', () => revokeInviteAction(team.projectId, A.inviteId), 'members'],
    ['changeRoleAction', () => changeRoleAction(team.projectId, A.memberMembershipId, 'OWNER'), 'members'],
    ['removeMemberAction', () => removeMemberAction(team.projectId, A.ownerMembershipId), 'members'],
    ['createPasswordResetLinkAction', () => createPasswordResetLinkAction(team.projectId, A.memberMembershipId), 'reset'],
    ['renameProjectAction', () => renameProjectAction(team.projectId, { name: 'Forged name' }), 'rename'],
    ['setSecondFactorRequirementAction', () => setSecondFactorRequirementAction(team.projectId, { required: true }), 'policy'],
  ];
}

const MEMBER_REFUSAL = {
  secrets: NOT_SECRETS,
  deploy: deniedMessage('redeploy'),
  hook: deniedMessage('manageDeployHooks'),
  tokens: deniedMessage('manageTokens'),
  members: OWNERS_ONLY,
  rename: NOT_RENAME,
  reset: deniedMessage('resetPasswords'),
  policy: deniedMessage('requireSecondFactor'),
} as const;

beforeAll(async () => {
  await migrateTestDatabase();
  team = await makeTeam('Forged Actions');
  A.production = await environmentId(team.projectId, 'production');
  A.staging = await environmentId(team.projectId, 'staging');
  B.production = await environmentId(team.otherProjectId, 'production');

  signInAs(team.owner);
  A.secretId = (await createSecret(team.projectId, A.production, secretInput('A_SECRET'))).id;
  A.deploymentId = (await redeploy(team.projectId, A.production)).id;
  A.tokenId = (await createToken(team.projectId, createTokenSchema.parse(tokenInput(A.production)))).id;
  await createInvite(team.projectId, { email: 'pending-a@example.test', role: 'MEMBER' });
  A.inviteId = (await db.invite.findFirstOrThrow({ where: { projectId: team.projectId } })).id;
  A.memberMembershipId = (await db.membership.findFirstOrThrow({ where: { projectId: team.projectId, userId: team.member.id } })).id;
  A.ownerMembershipId = (await db.membership.findFirstOrThrow({ where: { projectId: team.projectId, userId: team.owner.id } })).id;

  signInAs(team.outsider);
  B.secretId = (await createSecret(team.otherProjectId, B.production, secretInput('B_SECRET'))).id;
  B.deploymentId = (await redeploy(team.otherProjectId, B.production)).id;
  // A failed deployment newer than the live one: its own owner could retry it.
  await db.deployment.update({ where: { id: B.deploymentId }, data: { status: 'FAILED', error: 'Hook answered 500' } });
  B.tokenId = (await createToken(team.otherProjectId, createTokenSchema.parse(tokenInput(B.production)))).id;
  await createInvite(team.otherProjectId, { email: 'pending-b@example.test', role: 'MEMBER' });
  B.inviteId = (await db.invite.findFirstOrThrow({ where: { projectId: team.otherProjectId } })).id;
  B.ownerMembershipId = (await db.membership.findFirstOrThrow({ where: { projectId: team.otherProjectId } })).id;
  signInAs(null);
});

describe('a forged call of every action', () => {
  it.each(everyActionOnA())('%s by a member is refused with its permission message; nothing changes', async (_, call, area) => {
    signInAs(team.member);
    const before = await allRows();
    expect(await call()).toEqual({ ok: false, error: MEMBER_REFUSAL[area], code: 'forbidden' });
    expect(await allRows()).toEqual(before);
  });

  it.each(everyActionOnA())('%s by a signed-out visitor is refused (session ended); nothing changes', async (_, call) => {
    signInAs(null);
    const before = await allRows();
    expect(await call()).toEqual({ ok: false, error: SIGNED_OUT, code: 'unauthenticated' });
    expect(await allRows()).toEqual(before);
  });

  it.each(everyActionOnA())('%s by the owner of another project is refused (no access); nothing changes', async (_, call) => {
    signInAs(team.outsider);
    const before = await allRows();
    expect(await call()).toEqual({ ok: false, error: NO_ACCESS, code: 'forbidden' });
    expect(await allRows()).toEqual(before);
  });

  it('an admin is refused every owners-only action (members, reset links, second-factor rule); nothing changes', async () => {
    signInAs(team.admin);
    const before = await allRows();
    for (const [name, call, area] of everyActionOnA()) {
      if (OWNER_ONLY_AREAS.includes(area)) expect(await call(), name).toEqual({ ok: false, error: MEMBER_REFUSAL[area], code: 'forbidden' });
    }
    expect(await allRows()).toEqual(before);
  });

  it('a signed-out visitor cannot create a project or sign anyone out', async () => {
    signInAs(null);
    const before = await allRows();
    expect(await createProjectAction({ name: 'Forged project' })).toEqual({ ok: false, error: SIGNED_OUT, code: 'unauthenticated' });
    expect(await signOutEverywhereAction()).toEqual({ ok: false, error: SIGNED_OUT, code: 'unauthenticated' });
    expect(await allRows()).toEqual(before);
  });

  it("a signed-out visitor cannot touch anyone's password or second factor", async () => {
    signInAs(null);
    const before = await allRows();
    expect(await changePasswordAction({ currentPassword: 'x', newPassword: 'forged-passw0rd-long' })).toEqual({
      ok: false,
      error: SIGNED_OUT,
      code: 'unauthenticated',
    });
    expect(await startSecondFactorSetupAction()).toEqual({ ok: false, error: SIGNED_OUT, code: 'unauthenticated' });
    expect(await confirmSecondFactorAction({ code: '123456' })).toEqual({ ok: false, error: SIGNED_OUT, code: 'unauthenticated' });
    expect(await disableSecondFactorAction({ password: 'x', code: '123456' })).toEqual({ ok: false, error: SIGNED_OUT, code: 'unauthenticated' });
    expect(await allRows()).toEqual(before);
  });
});

describe("another project's ids through every action", () => {
  /** The owner of A passes project A's id with ids that belong to project B. */
  const crossProject: [string, () => Promise<ActionResult<unknown>>, string][] = [
    ['createSecretAction (B environment)', () => createSecretAction(team.projectId, B.production, secretInput('CROSS_KEY')), 'Environment not found'],
    [
      'updateSecretAction (B secret)',
      () => updateSecretAction(team.projectId, B.secretId, { value: 'cross', description: '', type: 'OTHER', revision: 1 }),
      SECRET_GONE,
    ],
    ['deleteSecretAction (B secret)', () => deleteSecretAction(team.projectId, B.secretId), SECRET_GONE],
    ['secretHistoryAction (B secret)', () => secretHistoryAction(team.projectId, B.secretId), SECRET_GONE],
    ['previewRedeployAction (B environment)', () => previewRedeployAction(team.projectId, B.production), 'Environment not found'],
    ['redeployAction (B environment)', () => redeployAction(team.projectId, B.production), 'Environment not found'],
    ['retryDeploymentAction (B deployment)', () => retryDeploymentAction(team.projectId, B.deploymentId), 'This deployment no longer exists. Reload the page.'],
    [
      'updateDeployHookAction (B environment)',
      () => updateDeployHookAction(team.projectId, B.production, { url: PUBLIC_HOOK, signingSecretId: '' }),
      'Environment not found',
    ],
    [
      'updateDeployHookAction (B secret signs A hook)',
      () => updateDeployHookAction(team.projectId, A.production, { url: PUBLIC_HOOK, signingSecretId: B.secretId }),
      DEPLOY_MESSAGES.signingSecretMissing,
    ],
    [
      'updateDeployHookAction (secret of another A environment)',
      () => updateDeployHookAction(team.projectId, A.staging, { url: PUBLIC_HOOK, signingSecretId: A.secretId }),
      DEPLOY_MESSAGES.signingSecretMissing,
    ],
    ['findSigningSecretsAction (B environment)', () => findSigningSecretsAction(team.projectId, B.production, 'B_'), 'Environment not found'],
    ['createTokenAction (B environment)', () => createTokenAction(team.projectId, tokenInput(B.production)), TOKEN_MESSAGES.environmentRequired],
    ['revokeTokenAction (B token)', () => revokeTokenAction(team.projectId, B.tokenId), 'This token no longer exists. Reload the page.'],
    ['revokeInviteAction (B invite)', () => revokeInviteAction(team.projectId, B.inviteId), 'This invite was already used or revoked.'],
    ['changeRoleAction (B membership)', () => changeRoleAction(team.projectId, B.ownerMembershipId, 'MEMBER'), 'This person is no longer a member.'],
    ['removeMemberAction (B membership)', () => removeMemberAction(team.projectId, B.ownerMembershipId), 'This person is no longer a member.'],
  ];

  it.each(crossProject)('%s is refused as not found in A; nothing changes in A or B', async (_, call, message) => {
    signInAs(team.owner);
    const before = await allRows();
    const result = await call();
    expect(result.ok).toBe(false);
    expect(result.ok ? null : result.error).toBe(message);
    expect(await allRows()).toEqual(before);
  });

  it("B's ids with B's project id are refused to A's owner (no access)", async () => {
    signInAs(team.owner);
    const before = await allRows();
    for (const result of [
      await updateSecretAction(team.otherProjectId, B.secretId, { value: 'cross', description: '', type: 'OTHER', revision: 1 }),
      await deleteSecretAction(team.otherProjectId, B.secretId),
      await retryDeploymentAction(team.otherProjectId, B.deploymentId),
      await revokeTokenAction(team.otherProjectId, B.tokenId),
      await removeMemberAction(team.otherProjectId, B.ownerMembershipId),
    ]) {
      expect(result).toEqual({ ok: false, error: NO_ACCESS, code: 'forbidden' });
    }
    expect(await allRows()).toEqual(before);
  });
});
