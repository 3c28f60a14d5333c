import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { db } from '@/lib/db';
import { createTokenAction, revokeTokenAction } from '@/lib/tokens/actions';
import { createToken, revokeToken } from '@/lib/tokens/mutations';
import { listTokens } from '@/lib/tokens/queries';
import { cachedToken, flushTokenUsage, hashToken, loadToken, recordTokenUse, stopTokenUsageTimer, tokenStats } from '@/lib/tokens/registry';
import { createTokenSchema, TOKEN_MESSAGES, TOKEN_PATTERN, tokenExpiresAt } from '@/lib/tokens/schemas';
import { migrateTestDatabase } from './support/db';
import { signInAs } from './support/session';
import { environmentId, expectAppError, makeTeam, type User } from './support/fixtures';
import { deniedMessage } from '@/lib/permissions';

let owner: User, admin: User, member: User, outsider: User;
let projectId: string, otherProjectId: string, production: string, otherProduction: string;

const tokenInput = (
  extra: Partial<{ name: string; environmentId: string; scope: 'read' | 'read-write'; expiry: '7' | '30' | '90' | 'custom' | 'never'; expiresOn: string }> = {},
) => createTokenSchema.parse({ name: 'ci-prod', environmentId: production, scope: 'read', expiry: '30', expiresOn: '', ...extra });

beforeAll(async () => {
  await migrateTestDatabase();
  ({ owner, admin, member, outsider, projectId, otherProjectId } = await makeTeam('Tokens project'));
  production = await environmentId(projectId, 'production');
  otherProduction = await environmentId(otherProjectId, 'production');
  stopTokenUsageTimer();
});

beforeEach(() => signInAs(admin));

describe('creating tokens', () => {
  it('returns kh_ + 32 random bytes once and stores only its SHA-256 and a 10-character prefix', async () => {
    const created = await createToken(projectId, tokenInput({ scope: 'read-write' }));
    expect(created.token).toMatch(TOKEN_PATTERN);
    expect(Buffer.from(created.token.slice(3), 'base64url')).toHaveLength(32);
    expect(created.prefix).toBe(created.token.slice(0, 10));
    const row = await db.serviceToken.findUniqueOrThrow({ where: { id: created.id } });
    expect(row).toMatchObject({
      tokenHash: hashToken(created.token),
      prefix: created.prefix,
      scope: 'read-write',
      environmentId: production,
      createdById: admin.id,
    });
    expect(JSON.stringify(row)).not.toContain(created.token.slice(10));
    const event = await db.auditEvent.findFirstOrThrow({ where: { targetId: created.id, action: 'token.created' } });
    expect(event).toMatchObject({ actorId: admin.id, targetLabel: 'ci-prod', environment: 'production', ip: '203.0.113.7' });
    expect(JSON.stringify(event)).not.toContain(created.token.slice(10));
  });

  it('computes expiry: 7/30/90 days, end of a custom day (UTC), or never', async () => {
    const now = Date.UTC(2030, 0, 1, 12);
    expect(tokenExpiresAt({ expiry: '7', expiresOn: '' }, now)?.getTime()).toBe(now + 7 * 86_400_000);
    expect(tokenExpiresAt({ expiry: '90', expiresOn: '' }, now)?.getTime()).toBe(now + 90 * 86_400_000);
    expect(tokenExpiresAt({ expiry: 'never', expiresOn: '' }, now)).toBeNull();
    expect(tokenExpiresAt({ expiry: 'custom', expiresOn: '2031-02-03' }, now)?.toISOString()).toBe('2031-02-03T23:59:59.999Z');
    const never = await createToken(projectId, tokenInput({ expiry: 'never' }));
    expect((await db.serviceToken.findUniqueOrThrow({ where: { id: never.id } })).expiresAt).toBeNull();
  });

  it('answers invalid input with field errors and writes nothing', async () => {
    const before = await db.serviceToken.count();
    expect(await createTokenAction(projectId, { name: ' ', environmentId: production, scope: 'read', expiry: '30' })).toEqual({
      ok: false,
      error: TOKEN_MESSAGES.nameRequired,
      code: 'validation_failed',
      fieldErrors: { name: TOKEN_MESSAGES.nameRequired },
    });
    expect(await createTokenAction(projectId, { name: 'x', environmentId: production, scope: 'admin' as 'read', expiry: 'never' })).toEqual({
      ok: false,
      error: TOKEN_MESSAGES.scopeRequired,
      code: 'validation_failed',
      fieldErrors: { scope: TOKEN_MESSAGES.scopeRequired },
    });
    expect(await createTokenAction(projectId, { name: 'x', environmentId: production, scope: 'read', expiry: 'custom', expiresOn: '2001-01-01' })).toEqual({
      ok: false,
      error: TOKEN_MESSAGES.dateInPast,
      code: 'validation_failed',
      fieldErrors: { expiresOn: TOKEN_MESSAGES.dateInPast },
    });
    expect(await createTokenAction(projectId, { name: 'x', environmentId: production, scope: 'read', expiry: 'custom' })).toMatchObject({
      fieldErrors: { expiresOn: TOKEN_MESSAGES.dateRequired },
    });
    expect(
      await createTokenAction(projectId, { name: 'x', environmentId: production, scope: 'read', expiry: 'custom', expiresOn: '2040-02-31' }),
    ).toMatchObject({
      fieldErrors: { expiresOn: TOKEN_MESSAGES.dateInvalid },
    });
    // An environment of another project is not an environment of this one.
    expect(await createTokenAction(projectId, { name: 'x', environmentId: otherProduction, scope: 'read', expiry: '30' })).toEqual({
      ok: false,
      error: TOKEN_MESSAGES.environmentRequired,
      code: 'validation_failed',
      fieldErrors: { environmentId: TOKEN_MESSAGES.environmentRequired },
    });
    expect(await db.serviceToken.count()).toBe(before);
  });
});

describe('roles', () => {
  it.each([
    ['a member', () => member, deniedMessage('manageTokens')],
    ['a non-member', () => outsider, "You don't have access to this project."],
  ])('refuses %s creating, listing and revoking (forged calls included)', async (_, who, message) => {
    const target = await createToken(projectId, tokenInput());
    signInAs(who());
    expect(await createTokenAction(projectId, { name: 'forged', environmentId: production, scope: 'read-write', expiry: 'never' })).toEqual({
      ok: false,
      error: message,
      code: 'forbidden',
    });
    expect(await revokeTokenAction(projectId, target.id)).toEqual({ ok: false, error: message, code: 'forbidden' });
    await expectAppError(listTokens(projectId), 'forbidden', message);
    expect(await db.serviceToken.count({ where: { name: 'forged' } })).toBe(0);
    expect((await db.serviceToken.findUniqueOrThrow({ where: { id: target.id } })).revokedAt).toBeNull();
  });

  it('lets the owner create and revoke tokens', async () => {
    signInAs(owner);
    const { id } = await createToken(projectId, tokenInput({ name: 'owner-made' }));
    await revokeToken(projectId, id);
  });
});

describe('revoking tokens', () => {
  it('marks the token revoked, audits it, drops it from the API cache at once, and refuses a second revoke', async () => {
    const created = await createToken(projectId, tokenInput({ name: 'to-revoke' }));
    const hash = hashToken(created.token);
    expect((await loadToken(hash))?.revokedAt).toBeNull();
    expect(cachedToken(hash)).not.toBeUndefined();
    await revokeToken(projectId, created.id);
    expect(cachedToken(hash)).toBeUndefined();
    expect((await loadToken(hash))?.revokedAt).toEqual(expect.any(Number));
    expect(await db.auditEvent.count({ where: { targetId: created.id, action: 'token.revoked', actorId: admin.id } })).toBe(1);
    await expectAppError(revokeToken(projectId, created.id), 'validation_failed', TOKEN_MESSAGES.alreadyRevoked);
  });

  it('refuses a token of another project, even with a real id', async () => {
    signInAs(outsider);
    const theirs = await createToken(otherProjectId, tokenInput({ environmentId: otherProduction }));
    signInAs(admin);
    expect(await revokeTokenAction(projectId, theirs.id)).toEqual({ ok: false, error: 'This token no longer exists. Reload the page.', code: 'not_found' });
    expect((await db.serviceToken.findUniqueOrThrow({ where: { id: theirs.id } })).revokedAt).toBeNull();
  });
});

describe('listing tokens and "last used"', () => {
  it('lists DTOs without hashes, merges unflushed use, and writes use in one batch per flush', async () => {
    const created = await createToken(projectId, tokenInput({ name: 'listed' }));
    const record = (await loadToken(hashToken(created.token)))!;
    const flushes = tokenStats.flushes;
    for (let i = 0; i < 500; i++) recordTokenUse(record, '198.51.100.4');
    expect((await db.serviceToken.findUniqueOrThrow({ where: { id: created.id } })).lastUsedAt).toBeNull();

    const listed = (await listTokens(projectId)).find((t) => t.id === created.id)!;
    expect(listed).toMatchObject({
      name: 'listed',
      prefix: created.prefix,
      environment: 'production',
      scope: 'read',
      status: 'active',
      lastUsedIp: '198.51.100.4',
      createdBy: 'Admin',
    });
    expect(listed.lastUsedAt).not.toBeNull();
    expect(JSON.stringify(listed)).not.toContain('tokenHash');

    await flushTokenUsage();
    expect(tokenStats.flushes).toBe(flushes + 1);
    const row = await db.serviceToken.findUniqueOrThrow({ where: { id: created.id } });
    expect(row.lastUsedIp).toBe('198.51.100.4');
    expect(row.lastUsedAt).not.toBeNull();
    await flushTokenUsage(); // nothing pending: no write
    expect(tokenStats.flushes).toBe(flushes + 1);
  });

  it('audits the first use from each new address once', async () => {
    const created = await createToken(projectId, tokenInput({ name: 'roaming' }));
    const record = (await loadToken(hashToken(created.token)))!;
    for (const ip of ['192.0.2.1', '192.0.2.1', '192.0.2.2', '192.0.2.1']) recordTokenUse(record, ip);
    await expect.poll(() => db.auditEvent.count({ where: { targetId: created.id, action: 'token.used_from_new_address' } })).toBe(2);
    const events = await db.auditEvent.findMany({ where: { targetId: created.id, action: 'token.used_from_new_address' }, orderBy: { ip: 'asc' } });
    expect(events.map((e) => [e.ip, e.actorId, e.actorTokenId, e.actorLabel])).toEqual([
      ['192.0.2.1', null, created.id, `token:roaming (${created.prefix})`],
      ['192.0.2.2', null, created.id, `token:roaming (${created.prefix})`],
    ]);
  });

  it('marks expired and revoked tokens', async () => {
    const expired = await createToken(projectId, tokenInput({ name: 'expired-one' }));
    await db.serviceToken.update({ where: { id: expired.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const revoked = await createToken(projectId, tokenInput({ name: 'revoked-one' }));
    await revokeToken(projectId, revoked.id);
    const list = await listTokens(projectId);
    expect(list.find((t) => t.id === expired.id)?.status).toBe('expired');
    expect(list.find((t) => t.id === revoked.id)?.status).toBe('revoked');
  });
});
