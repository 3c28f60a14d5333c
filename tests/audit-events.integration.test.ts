import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUDIT_ACTIONS, auditActionLabel, isAuditAction } from '@/lib/audit/action-labels';
import { flushReads, pendingReads, readStats, stopReadTimer } from '@/lib/audit/reads';
import { verifyAuditChain } from '@/lib/audit/verify';
import { signOutEverywhere } from '@/lib/auth/mutations';
import { db } from '@/lib/db';
import { redeploy, updateDeployHook } from '@/lib/deploys/mutations';
import { authorizedApplyImport, authorizedPreviewImport } from '@/lib/imports/authorized';
import { rotateProject } from '@/lib/keys/rotate-project';
import { verifyKeys } from '@/lib/keys/verify';
import { acceptInvite, changeRole, createInvite, createPasswordResetLink, removeMember, revokeInvite } from '@/lib/members/mutations';
import { renameProject, setSecondFactorRequirement } from '@/lib/projects/mutations';
import { keyhold } from '@/lib/api/in-process';
import { createSecret, deleteSecret, updateSecret } from '@/lib/secrets/mutations';
import { listSecrets } from '@/lib/secrets/queries';
import { createToken, revokeToken } from '@/lib/tokens/mutations';
import { flushTokenUsage, forgetAllTokens } from '@/lib/tokens/registry';
import { createTokenSchema } from '@/lib/tokens/schemas';
import { startApiTeam, type ApiTeam } from './support/api-team';
import { environmentId } from './support/fixtures';
import { signInAs } from './support/session';

// Every event kind a project's audit log lists, recorded through the real
// code paths (the data layer, /api/v1 over HTTP, the in-process API), then the
// chain verified and searched for the values, tokens and passwords used.

const CANARY = `canary${randomUUID().replace(/-/g, '')}`;
const PASSWORD = `pw-${CANARY}`;
let api: ApiTeam;
let projectId: string, production: string, staging: string;

beforeAll(async () => {
  api = await startApiTeam('Audit Events');
  stopReadTimer();
  projectId = api.team.projectId;
  production = api.production;
  staging = await environmentId(projectId, 'staging');
});

afterAll(async () => {
  await api.close();
});

const get = (path: string, token: string, headers: Record<string, string> = {}) =>
  fetch(`${api.server.url}${path}`, { headers: { authorization: `Bearer ${token}`, ...headers } });

async function readToken(environment: string, name: string) {
  signInAs(api.team.owner);
  return createToken(projectId, createTokenSchema.parse({ name, environmentId: environment, scope: 'read', expiry: '30' }));
}

describe('every event kind', () => {
  it('is recorded in the project chain by the code that does it, without a value, token or password', async () => {
    const { owner, admin, member } = api.team;
    signInAs(owner);
    await renameProject(projectId, { name: 'Audit Events Renamed' });
    await db.user.update({ where: { id: owner.id }, data: { totpEnabledAt: new Date() } });
    await setSecondFactorRequirement(projectId, true);
    await setSecondFactorRequirement(projectId, false);

    signInAs(admin);
    const { id } = await createSecret(projectId, production, { key: 'STRIPE_KEY', value: `v1-${CANARY}`, description: '', type: 'API_KEY' });
    await updateSecret(projectId, id, { value: `v2-${CANARY}`, description: '', type: 'API_KEY', revision: 1 });
    await updateSecret(projectId, id, { value: '', description: 'Live key', type: 'API_KEY', revision: 2 });
    const signing = await createSecret(projectId, staging, { key: 'HOOK_SECRET', value: `hook-${CANARY}`, description: '', type: 'OTHER' });
    const doomed = await createSecret(projectId, production, { key: 'OLD_KEY', value: `old-${CANARY}`, description: '', type: 'OTHER' });
    await deleteSecret(projectId, doomed.id);
    const source = { format: 'env' as const, text: `IMPORTED_ONE=imported-${CANARY}\n` };
    const preview = await authorizedPreviewImport({ projectId, environmentIds: [staging] }, source);
    await authorizedApplyImport({ userId: admin.id, label: admin.name, ip: null }, { projectId, environmentIds: [staging] }, source, preview.id, []);
    expect((await redeploy(projectId, production)).status).toBe('SUCCEEDED');
    // Nothing listens on port 9: the delivery fails.
    await updateDeployHook(projectId, staging, { url: 'http://127.0.0.1:9/hook', signingSecretId: signing.id });
    expect((await redeploy(projectId, staging)).status).toBe('FAILED');

    const reader = await readToken(production, 'ci-production');
    forgetAllTokens();
    expect((await get('/api/v1/secrets', reader.token)).status).toBe(200);
    signInAs(owner);
    await revokeToken(projectId, reader.id);

    const { token: inviteToken } = await createInvite(projectId, { email: `joiner-${randomUUID()}@example.test`, role: 'MEMBER' });
    const never = `never-${randomUUID()}@example.test`;
    await createInvite(projectId, { email: never, role: 'MEMBER' });
    await revokeInvite(projectId, (await db.invite.findFirstOrThrow({ where: { projectId, email: never } })).id);
    await acceptInvite(inviteToken, { name: 'Joiner', password: PASSWORD });
    const joined = await db.membership.findFirstOrThrow({ where: { projectId, user: { name: 'Joiner' } } });
    signInAs(owner);
    await changeRole(projectId, joined.id, 'ADMIN');
    const memberMembership = await db.membership.findFirstOrThrow({ where: { projectId, userId: member.id } });
    const reset = await createPasswordResetLink(projectId, memberMembership.id);
    await removeMember(projectId, joined.id);

    signInAs(member);
    await signOutEverywhere();

    const project = await db.project.findUniqueOrThrow({ where: { id: projectId }, select: { id: true, slug: true } });
    await rotateProject(project);
    await verifyKeys({ destroyRetired: true });

    await flushReads();

    const events = await db.auditEvent.findMany({ where: { projectId }, orderBy: { seq: 'asc' } });
    const recorded = new Set(events.map((e) => e.action));
    // Emitted by the restore and rollback code (its own tests); master key rotation runs as a command with other keys (tests/keys-master).
    const elsewhere = new Set(['secret.restored', 'deploy.rolled_back', 'key.master_rewrapped']);
    const accountOnly = AUDIT_ACTIONS.filter((a) => a.action.startsWith('account.')).map((a) => a.action);
    const expected = AUDIT_ACTIONS.map((a) => a.action).filter((a) => !elsewhere.has(a) && !accountOnly.includes(a));
    expect(expected.filter((a) => !recorded.has(a))).toEqual([]);
    expect([...recorded].filter((a) => !isAuditAction(a))).toEqual([]);

    // The deleted secret's events stay, its key readable.
    expect(events.filter((e) => e.targetId === doomed.id).map((e) => [e.action, e.targetLabel])).toEqual([
      ['secret.created', 'OLD_KEY'],
      ['secret.deleted', 'OLD_KEY'],
    ]);
    expect(events.find((e) => e.action === 'deploy.failed')).toMatchObject({ targetLabel: '#1', environment: 'staging' });
    expect(events.find((e) => e.action === 'member.joined')).toMatchObject({ actorLabel: expect.stringContaining('joiner-') });
    expect(events.find((e) => e.action === 'token.used_from_new_address')).toMatchObject({ actorTokenId: reader.id, ip: '127.0.0.1' });
    expect(events.find((e) => e.action === 'user.signed_out_everywhere')).toMatchObject({ actorId: member.id });

    const result = await verifyAuditChain(projectId);
    expect(result).toMatchObject({ ok: true, checked: events.length });
    const everything = JSON.stringify(events);
    for (const secret of [CANARY, reader.token.slice(10), inviteToken, reset.token, PASSWORD]) expect(everything).not.toContain(secret);
  });

  it('has a label for every action', () => {
    expect(AUDIT_ACTIONS.length).toBe(new Set(AUDIT_ACTIONS.map((a) => a.action)).size);
    for (const { action, label } of AUDIT_ACTIONS) {
      expect(action).toMatch(/^[a-z_]+\.[a-z_]+$/);
      expect(auditActionLabel(action)).toBe(label);
    }
    expect(auditActionLabel('future.kind')).toBe('future.kind');
  });
});

describe('machine reads', () => {
  let tokens: { id: string; token: string }[];

  beforeAll(async () => {
    signInAs(api.team.admin);
    for (const key of ['READ_A', 'READ_B', 'READ_C'])
      await createSecret(projectId, production, { key, value: `${key}-${CANARY}`, description: '', type: 'OTHER' });
    expect((await redeploy(projectId, production)).status).toBe('SUCCEEDED');
    await flushReads();
    tokens = [await readToken(production, 'ci-production'), await readToken(production, 'worker')];
  });

  it('become one event per token per environment per flush, with the request count and the keys read, and no write per request', async () => {
    const eventsBefore = await db.auditEvent.count({ where: { projectId, action: 'secrets.read' } });
    const [ci, worker] = tokens;
    const first = await get('/api/v1/secrets', ci.token);
    const etag = first.headers.get('etag')!;
    expect((await get('/api/v1/secrets', ci.token, { 'if-none-match': etag })).status).toBe(304);
    expect((await get('/api/v1/secrets?format=dotenv', ci.token)).status).toBe(200);
    for (let i = 0; i < 3; i++) expect((await get('/api/v1/secrets/READ_B', worker.token)).status).toBe(200);
    expect((await get('/api/v1/secrets/NOPE', worker.token)).status).toBe(404);
    // Only the "new address" events are written while serving; the reads wait in memory.
    await flushTokenUsage();
    expect(await db.auditEvent.count({ where: { projectId, action: 'secrets.read' } })).toBe(eventsBefore);
    expect(pendingReads()).toBe(2);

    const flushes = readStats.flushes;
    await flushReads();
    expect(readStats.flushes).toBe(flushes + 1);
    expect(pendingReads()).toBe(0);
    const events = await db.auditEvent.findMany({ where: { projectId, action: 'secrets.read' }, orderBy: { seq: 'desc' }, take: 2 });
    const byToken = new Map(events.map((e) => [e.actorTokenId, e]));
    const ciEvent = byToken.get(ci.id)!;
    expect(ciEvent).toMatchObject({ environment: 'production', targetType: 'environment', targetId: production, ip: '127.0.0.1' });
    // The list, its 304 and the dotenv form: three requests reading the whole deployment.
    expect(JSON.parse(ciEvent.details)).toMatchObject({ requests: 3, keysCount: 4, keys: ['READ_A', 'READ_B', 'READ_C', 'STRIPE_KEY'] });
    expect(JSON.parse(byToken.get(worker.id)!.details)).toMatchObject({ requests: 3, keys: ['READ_B'], keysCount: 1 });
    expect(JSON.stringify(events)).not.toContain(CANARY);
    expect((await verifyAuditChain(projectId)).ok).toBe(true);
  });

  it('give each secret read its last read (when, by which token) and the delete warning', async () => {
    const [ci, worker] = tokens;
    await get('/api/v1/secrets/READ_A', worker.token);
    await flushReads();
    await get('/api/v1/secrets/READ_B', ci.token);
    await flushReads();
    signInAs(api.team.admin);
    const rows = new Map((await listSecrets(projectId, production)).rows.map((r) => [r.key, r]));
    expect(rows.get('READ_A')!.lastRead).toMatchObject({ by: 'token worker', recent: true });
    expect(rows.get('READ_B')!.lastRead).toMatchObject({ by: 'token ci-production', recent: true });
    expect(rows.get('READ_C')!.lastRead).toMatchObject({ by: 'token ci-production' });
    expect(rows.get('READ_A')!.notReadIn90Days).toBe(false);
    const stored = await db.secret.findFirstOrThrow({ where: { projectId, environmentId: production, key: 'READ_B' } });
    expect(stored).toMatchObject({ lastReadTokenId: ci.id, lastReadBy: 'token ci-production' });

    // A secret created long ago and never read (or read long ago) gets the badge; a new one does not.
    const long = new Date(Date.now() - 200 * 24 * 3600_000);
    await db.secret.update({ where: { id: rows.get('READ_C')!.id }, data: { createdAt: long, lastReadAt: new Date(Date.now() - 100 * 24 * 3600_000) } });
    const fresh = await createSecret(projectId, production, { key: 'NEVER_READ', value: 'x', description: '', type: 'OTHER' });
    const again = new Map((await listSecrets(projectId, production)).rows.map((r) => [r.key, r]));
    expect(again.get('READ_C')).toMatchObject({ notReadIn90Days: true, lastRead: { recent: false } });
    expect(again.get('NEVER_READ')).toMatchObject({ notReadIn90Days: false, lastRead: null });
    await db.secret.update({ where: { id: fresh.id }, data: { createdAt: long } });
    expect((await listSecrets(projectId, production)).rows.find((r) => r.key === 'NEVER_READ')).toMatchObject({ notReadIn90Days: true, lastRead: null });
  });

  it('through the in-process API are audited under its label', async () => {
    const secrets = keyhold({ projectId, environmentId: production }, { label: 'keyhold:test' });
    expect(await secrets.getSecret('READ_A')).toBe(`READ_A-${CANARY}`);
    await secrets.getSecrets();
    await flushReads();
    const event = await db.auditEvent.findFirstOrThrow({ where: { projectId, action: 'secrets.read', actorLabel: 'keyhold:test' } });
    expect(event).toMatchObject({ actorTokenId: null, actorId: null, environment: 'production' });
    expect(JSON.parse(event.details)).toMatchObject({ requests: 2 });
    expect(JSON.parse(event.details).keys).toEqual(expect.arrayContaining(['READ_A', 'READ_B', 'READ_C']));
    const row = await db.secret.findFirstOrThrow({ where: { projectId, environmentId: production, key: 'READ_A' } });
    expect(row).toMatchObject({ lastReadBy: 'keyhold:test', lastReadTokenId: null });
  });

  it('keep a batch that could not be written for the next flush', async () => {
    const [ci] = tokens;
    await get('/api/v1/secrets/READ_A', ci.token);
    await db.$executeRawUnsafe('ALTER TABLE "AuditChain" RENAME TO "AuditChainAway"');
    try {
      await flushReads();
    } finally {
      await db.$executeRawUnsafe('ALTER TABLE "AuditChainAway" RENAME TO "AuditChain"');
    }
    expect(pendingReads()).toBe(1);
    await get('/api/v1/secrets/READ_A', ci.token);
    await flushReads();
    expect(pendingReads()).toBe(0);
    const event = await db.auditEvent.findFirstOrThrow({ where: { projectId, action: 'secrets.read', actorTokenId: ci.id }, orderBy: { seq: 'desc' } });
    expect(JSON.parse(event.details)).toMatchObject({ requests: 2, keys: ['READ_A'] });
  });
});
