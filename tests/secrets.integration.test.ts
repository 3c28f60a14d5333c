import { randomUUID } from 'node:crypto';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { decryptValue, IntegrityError } from '@/lib/crypto/envelope';
import { db } from '@/lib/db';
import { projectKeys } from '@/lib/projects/keys';
import { createSecretAction, deleteSecretAction, updateSecretAction } from '@/lib/secrets/actions';
import { createSecret, deleteSecret, updateSecret } from '@/lib/secrets/mutations';
import { listSecrets, secretHistory } from '@/lib/secrets/queries';
import { MESSAGES } from '@/lib/secrets/schemas';
import { migrateTestDatabase, storedBytes } from './support/db';
import { withWritesHeld } from './support/held-writes';
import { signInAs } from './support/session';
import { environmentId, expectAppError, makeTeam, type User } from './support/fixtures';

const CANARY = `canary-${randomUUID()}-value`;
let owner: User, admin: User, member: User, outsider: User;
let projectId: string, otherProjectId: string;
let production: string, staging: string, otherProduction: string;

const input = (key: string, value = 'v', extra: Partial<{ description: string; type: 'API_KEY' | 'OTHER' }> = {}) => ({
  key,
  value,
  description: extra.description ?? '',
  type: extra.type ?? ('API_KEY' as const),
});

beforeAll(async () => {
  await migrateTestDatabase();
  ({ owner, admin, member, outsider, projectId, otherProjectId } = await makeTeam('Payments API'));
  [production, staging, otherProduction] = await Promise.all([
    environmentId(projectId, 'production'),
    environmentId(projectId, 'staging'),
    environmentId(otherProjectId, 'production'),
  ]);
});

beforeEach(() => signInAs(admin));

describe('creating one key in several environments at the same moment', () => {
  it('neither deadlocks nor loses a create, whatever order each names the environments in', async () => {
    signInAs(owner);
    const suffix = randomUUID().slice(0, 8).toUpperCase();
    // Different keys: each create updates both environments' rows.
    const different = await withWritesHeld('Environment', 2, () =>
      Promise.allSettled([
        createSecret(projectId, production, input(`ORDER_A_${suffix}`), [staging]),
        createSecret(projectId, staging, input(`ORDER_B_${suffix}`), [production]),
      ]),
    );
    expect(different.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled']);
    // The same key: one is created in both, the other is told the key exists.
    const same = await withWritesHeld('Secret', 2, () =>
      Promise.allSettled([
        createSecret(projectId, production, input(`ORDER_C_${suffix}`), [staging]),
        createSecret(projectId, staging, input(`ORDER_C_${suffix}`), [production]),
      ]),
    );
    expect(same.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect((same.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason).toMatchObject({ code: 'conflict', message: MESSAGES.keyExists });
    expect(await db.secret.count({ where: { projectId, key: `ORDER_C_${suffix}` } })).toBe(2);
  });
});

describe('projects', () => {
  it('get development, staging and production and a wrapped data key', async () => {
    const environments = await db.environment.findMany({ where: { projectId }, orderBy: { position: 'asc' } });
    expect(environments.map((e) => e.name)).toEqual(['development', 'staging', 'production']);
    const key = await db.projectKey.findFirstOrThrow({ where: { projectId } });
    expect(key.wrappedKey.length).toBe(1 + 4 + 12 + 32 + 16);
    expect((await projectKeys(projectId)).current.key.length).toBe(32);
  });
});

describe('creating secrets', () => {
  it('stores the value encrypted, bound to the secret id and version, with an audit event without the value', async () => {
    const { id } = await createSecret(projectId, production, input('STRIPE_API_KEY', CANARY, { description: 'Live key' }));
    const version = await db.secretVersion.findFirstOrThrow({ where: { secretId: id } });
    expect(Buffer.from(version.blob).includes(Buffer.from(CANARY))).toBe(false);
    const keys = await projectKeys(projectId);
    expect(decryptValue(keys.keyFor, version.blob, id, 1)).toBe(CANARY);
    expect(() => decryptValue(keys.keyFor, version.blob, id, 2)).toThrow(IntegrityError);

    const event = await db.auditEvent.findFirstOrThrow({ where: { targetId: id, action: 'secret.created' } });
    expect(event).toMatchObject({ actorId: admin.id, environment: 'production', targetLabel: 'STRIPE_API_KEY', ip: '203.0.113.7' });
    expect(JSON.stringify(event)).not.toContain(CANARY);
  });

  it('rejects a duplicate key and a key differing only by case in the same environment, as a field error', async () => {
    await createSecret(projectId, production, input('DUPLICATE_ME'));
    for (const key of ['DUPLICATE_ME', 'duplicate_me', 'Duplicate_Me']) {
      // A conflict (the HTTP API's 409 too), shown next to the key field.
      const error = await expectAppError(createSecret(projectId, production, input(key)), 'conflict', MESSAGES.keyExists);
      expect(error.fieldErrors).toEqual({ key: MESSAGES.keyExists });
    }
    await expect(createSecret(projectId, staging, input('duplicate_me'))).resolves.toHaveProperty('id');
    expect(await db.secret.count({ where: { projectId, keyFolded: 'duplicate_me' } })).toBe(2);
  });

  it('answers through the action with field errors for invalid input, and writes nothing', async () => {
    const before = await db.secret.count();
    const result = await createSecretAction(projectId, production, { key: '1BAD', value: '', description: '', type: 'OTHER' });
    expect(result).toEqual({
      ok: false,
      error: MESSAGES.keyPattern,
      code: 'validation_failed',
      fieldErrors: { key: MESSAGES.keyPattern, value: MESSAGES.valueRequired },
    });
    expect(await db.secret.count()).toBe(before);
  });

  it('answers an ill-formed value or description through the action next to its field, and writes nothing', async () => {
    const before = await db.secret.count();
    const result = await createSecretAction(projectId, production, { key: 'LONE', value: 'a\ud800', description: '\udc00', type: 'OTHER' });
    expect(result).toEqual({
      ok: false,
      error: MESSAGES.valueInvalidCharacters,
      code: 'validation_failed',
      fieldErrors: { value: MESSAGES.valueInvalidCharacters, description: MESSAGES.descriptionInvalidCharacters },
    });
    expect(await db.secret.count()).toBe(before);
  });

  it('refuses an environment of another project', async () => {
    await expectAppError(createSecret(projectId, otherProduction, input('CROSS_PROJECT')), 'not_found');
    expect(await db.secret.count({ where: { key: 'CROSS_PROJECT' } })).toBe(0);
  });
});

describe('roles', () => {
  it.each([
    ['a member', () => member, "You don't have permission to manage secrets."],
    ['a non-member', () => outsider, "You don't have access to this project."],
  ])('refuses %s every secret action and changes nothing', async (_, who, message) => {
    signInAs(admin);
    const { id } = await createSecret(projectId, production, input(`ROLE_TARGET_${randomUUID().slice(0, 8).toUpperCase()}`));
    const before = await db.secret.findUniqueOrThrow({ where: { id } });
    signInAs(who());
    expect(await createSecretAction(projectId, production, input('FORGED_KEY', 'forged'))).toEqual({ ok: false, error: message, code: 'forbidden' });
    expect(await updateSecretAction(projectId, id, { value: 'forged', description: 'x', type: 'OTHER', revision: 1 })).toEqual({
      ok: false,
      error: message,
      code: 'forbidden',
    });
    expect(await deleteSecretAction(projectId, id)).toEqual({ ok: false, error: message, code: 'forbidden' });
    await expectAppError(listSecrets(projectId, production), 'forbidden', message);
    await expectAppError(secretHistory(projectId, id), 'forbidden', message);
    expect(await db.secret.count({ where: { key: 'FORGED_KEY' } })).toBe(0);
    expect(await db.secret.findUniqueOrThrow({ where: { id } })).toEqual(before);
  });

  it('refuses a caller who is not signed in', async () => {
    signInAs(null);
    await expectAppError(createSecret(projectId, production, input('NO_SESSION')), 'unauthenticated');
  });

  it('lets the owner manage secrets too', async () => {
    signInAs(owner);
    await expect(createSecret(projectId, staging, input('OWNER_MADE'))).resolves.toHaveProperty('id');
  });
});

describe('updating secrets', () => {
  it('keeps the value when the new value is empty, and says when nothing changed', async () => {
    const { id } = await createSecret(projectId, staging, input('KEEP_VALUE', 'first'));
    await expectAppError(updateSecret(projectId, id, { value: '', description: '', type: 'API_KEY', revision: 1 }), 'no_changes', MESSAGES.noChanges);
    const { revision } = await updateSecret(projectId, id, { value: '', description: 'Now described', type: 'TOKEN', revision: 1 });
    expect(revision).toBe(2);
    const secret = await db.secret.findUniqueOrThrow({ where: { id } });
    expect(secret).toMatchObject({ description: 'Now described', type: 'TOKEN', currentVersion: 1, revision: 2 });
    expect(await db.secretVersion.count({ where: { secretId: id } })).toBe(1);
  });

  it('writes a new version for a new value and keeps the old one', async () => {
    const { id } = await createSecret(projectId, staging, input('ROTATED', 'old value'));
    await updateSecret(projectId, id, { value: 'new value', description: '', type: 'API_KEY', revision: 1 });
    const keys = await projectKeys(projectId);
    const versions = await db.secretVersion.findMany({ where: { secretId: id }, orderBy: { version: 'asc' } });
    expect(versions.map((v) => decryptValue(keys.keyFor, v.blob, id, v.version))).toEqual(['old value', 'new value']);
    expect((await db.secret.findUniqueOrThrow({ where: { id } })).currentVersion).toBe(2);
    const history = await secretHistory(projectId, id);
    expect(history.map((h) => h.summary)).toEqual(['Value changed (version 2)', 'Created (version 1)']);
  });

  it('reports an edit that started from an older revision instead of overwriting', async () => {
    const { id } = await createSecret(projectId, staging, input('CONTESTED', 'base'));
    await updateSecret(projectId, id, { value: 'first writer', description: '', type: 'API_KEY', revision: 1 });
    await expectAppError(updateSecret(projectId, id, { value: 'second writer', description: '', type: 'API_KEY', revision: 1 }), 'conflict', MESSAGES.conflict);
    const keys = await projectKeys(projectId);
    const current = await db.secret.findUniqueOrThrow({ where: { id }, include: { versions: true } });
    const blob = current.versions.find((v) => v.version === current.currentVersion)!.blob;
    expect(decryptValue(keys.keyFor, blob, id, current.currentVersion)).toBe('first writer');
  });

  it('lets exactly one of two simultaneous edits win', async () => {
    const { id } = await createSecret(projectId, staging, input('RACED', 'base'));
    const results = await Promise.allSettled(
      ['a', 'b', 'c'].map((value) => updateSecret(projectId, id, { value, description: '', type: 'API_KEY', revision: 1 })),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason.code)).toEqual(['conflict', 'conflict']);
    expect(await db.secretVersion.count({ where: { secretId: id } })).toBe(2);
  });

  it('refuses a secret of another project, even with a real id', async () => {
    signInAs(outsider);
    const { id } = await createSecret(otherProjectId, otherProduction, input('THEIRS', 'their value'));
    signInAs(admin);
    await expectAppError(updateSecret(projectId, id, { value: 'mine', description: '', type: 'OTHER', revision: 1 }), 'not_found');
    await expectAppError(deleteSecret(projectId, id), 'not_found');
    expect(await db.secret.count({ where: { id } })).toBe(1);
  });
});

describe('deleting secrets', () => {
  it('removes the secret and its versions and records who deleted it', async () => {
    const { id } = await createSecret(projectId, staging, input('SHORT_LIVED', 'gone soon'));
    await deleteSecret(projectId, id);
    expect(await db.secret.count({ where: { id } })).toBe(0);
    expect(await db.secretVersion.count({ where: { secretId: id } })).toBe(0);
    expect(await db.auditEvent.count({ where: { targetId: id, action: 'secret.deleted', actorId: admin.id } })).toBe(1);
    await expectAppError(deleteSecret(projectId, id), 'not_found');
  });
});

describe('listing secrets', () => {
  it('returns small DTOs without values, searches key and description, and pages by key', async () => {
    const development = await environmentId(projectId, 'development');
    for (let i = 0; i < 60; i++) {
      await createSecret(
        projectId,
        development,
        input(`SERVICE_${String(i).padStart(2, '0')}_TOKEN`, `value-${i}`, {
          description: i === 7 ? 'Webhook signing for Acme' : '',
        }),
      );
    }
    await createSecret(projectId, development, input('NEXT_PUBLIC_SITE_URL', 'https://example.test', { type: 'OTHER' }));

    const first = await listSecrets(projectId, development, { limit: 25 });
    expect(first.rows).toHaveLength(25);
    expect(Object.keys(first.rows[0]).sort()).toEqual(
      ['createdAt', 'description', 'id', 'isPublic', 'key', 'lastRead', 'notReadIn90Days', 'revision', 'sameValueAs', 'type', 'updatedAt', 'updatedBy'].sort(),
    );
    expect(JSON.stringify(first)).not.toContain('value-');
    expect(first.rows[0].key).toBe('NEXT_PUBLIC_SITE_URL');
    expect(first.rows[0].isPublic).toBe(true);

    const keys: string[] = [];
    let after: string | null = null;
    do {
      const page: Awaited<ReturnType<typeof listSecrets>> = await listSecrets(projectId, development, { limit: 25, after });
      keys.push(...page.rows.map((r) => r.key));
      after = page.nextCursor;
    } while (after);
    expect(keys).toHaveLength(61);
    expect(new Set(keys).size).toBe(61);

    expect((await listSecrets(projectId, development, { q: 'service_07' })).rows.map((r) => r.key)).toEqual(['SERVICE_07_TOKEN']);
    expect((await listSecrets(projectId, development, { q: 'Acme' })).rows.map((r) => r.key)).toEqual(['SERVICE_07_TOKEN']);
    expect((await listSecrets(projectId, development, { q: 'nothing-like-this' })).rows).toEqual([]);
  });

  it('searches for its text literally and in any case, on every database: `_`, `%` and `\\` are characters, and pages stay full', async () => {
    const searched = (await db.environment.create({ data: { projectId, name: 'searching', position: 8 } })).id;
    const made: [string, string][] = [
      ['DB_URL', 'Main Database'],
      ['DBXURL', 'fifty 100% sure'],
      ['PATH_KEY', 'C:\\Keys\\prod'],
    ];
    for (let i = 0; i < 30; i++) made.push([`WILD_${String(i).padStart(2, '0')}`, ''], [`WILDX${String(i).padStart(2, '0')}`, '']);
    for (const [key, description] of made) await createSecret(projectId, searched, input(key, 'v', { description }));
    const keys = async (q: string) => (await listSecrets(projectId, searched, { q, limit: 50 })).rows.map((r) => r.key);

    expect(await keys('db_url')).toEqual(['DB_URL']);
    expect(await keys('DATABASE')).toEqual(['DB_URL']);
    expect(await keys('main data')).toEqual(['DB_URL']);
    expect(await keys('100%')).toEqual(['DBXURL']);
    expect(await keys('%')).toEqual(['DBXURL']);
    expect(await keys('0% S')).toEqual(['DBXURL']);
    expect(await keys('s\\p')).toEqual(['PATH_KEY']);
    expect(await keys('x_')).toEqual([]);

    // Every WILDXnn sorts before the WILD_nn it resembles, so on SQLite the first
    // rows read are all false matches: the page still fills, in either order.
    const wild = Array.from({ length: 30 }, (_, i) => `WILD_${String(i).padStart(2, '0')}`);
    for (const sort of ['key', 'key-desc', 'updated'] as const) {
      const seen: string[] = [];
      let after: string | null = null;
      do {
        const page: Awaited<ReturnType<typeof listSecrets>> = await listSecrets(projectId, searched, { q: 'wild_', sort, limit: 7, after });
        expect(page.rows.length === 7 || page.nextCursor === null).toBe(true);
        seen.push(...page.rows.map((r) => r.key));
        after = page.nextCursor;
      } while (after);
      expect([...seen].sort()).toEqual(wild);
      expect(new Set(seen).size).toBe(30);
    }
  });

  it('sorts by key or last updated and filters by type and Public, paging every order without gaps', async () => {
    const staged = (await db.environment.create({ data: { projectId, name: 'sorting', position: 9 } })).id;
    const keys = ['NEXT_PUBLIC_A', 'next_public_lower', 'NEXT_PUBLICX', 'B_TOKEN', 'C_KEY', 'D_KEY', 'E_KEY', 'NEXT_PUBLIC_Z'];
    for (const [i, key] of keys.entries()) {
      await createSecret(projectId, staged, input(key, `value-${i}`, { type: i % 2 ? 'OTHER' : 'API_KEY' }));
      await db.secret.updateMany({ where: { environmentId: staged, key }, data: { updatedAt: new Date(Date.UTC(2026, 0, 1 + (i % 4))) } });
    }
    const all = async (query: Parameters<typeof listSecrets>[2]) => {
      const seen: string[] = [];
      let after: string | null = null;
      do {
        const page: Awaited<ReturnType<typeof listSecrets>> = await listSecrets(projectId, staged, { ...query, limit: 3, after });
        seen.push(...page.rows.map((r) => r.key));
        after = page.nextCursor;
      } while (after);
      return seen;
    };
    // The database's own order of keys (its collation), walked page by page.
    const byKey = (await listSecrets(projectId, staged, { limit: 50 })).rows.map((r) => r.key);
    expect([...byKey].sort()).toEqual([...keys].sort());
    expect(await all({ sort: 'key' })).toEqual(byKey);
    expect(await all({ sort: 'key-desc' })).toEqual([...byKey].reverse());

    // Four distinct times, each shared by two secrets: ties are ordered too.
    const newest = await all({ sort: 'updated' });
    const oldest = await all({ sort: 'updated-asc' });
    expect(new Set(newest).size).toBe(keys.length);
    expect(oldest).toEqual([...newest].reverse());
    const times = new Map((await listSecrets(projectId, staged, { limit: 50 })).rows.map((r) => [r.key, r.updatedAt]));
    expect(newest.map((k) => times.get(k))).toEqual([...newest.map((k) => times.get(k)!)].sort().reverse());

    // Public means exactly the NEXT_PUBLIC_ prefix, case and underscore included, on every database.
    const sorted = async (query: Parameters<typeof listSecrets>[2]) => (await all(query)).sort();
    expect(await sorted({ public: 'yes' })).toEqual(['NEXT_PUBLIC_A', 'NEXT_PUBLIC_Z']);
    expect(await sorted({ public: 'no' })).toEqual(['B_TOKEN', 'C_KEY', 'D_KEY', 'E_KEY', 'NEXT_PUBLICX', 'next_public_lower']);
    expect(await sorted({ type: 'OTHER' })).toEqual(['B_TOKEN', 'D_KEY', 'NEXT_PUBLIC_Z', 'next_public_lower']);
    expect(await all({ type: 'OTHER', public: 'yes', sort: 'key-desc' })).toEqual(['NEXT_PUBLIC_Z']);
    expect(await all({ q: 'key', sort: 'updated-asc', type: 'API_KEY' })).toEqual(
      ['C_KEY', 'E_KEY'].sort((a, b) => times.get(a)!.localeCompare(times.get(b)!)),
    );

    // A cursor from another order, or a made-up one, starts over instead of failing.
    expect((await listSecrets(projectId, staged, { sort: 'updated', after: 'NOT_A_CURSOR' })).rows).toHaveLength(keys.length);
  });
});

describe('at rest', () => {
  it('never writes a known plaintext value into the database', async () => {
    const { id } = await createSecret(projectId, production, input('CANARY_AT_REST', CANARY));
    await updateSecret(projectId, id, { value: `${CANARY}-2`, description: 'rotated', type: 'PASSWORD', revision: 1 });
    const stored = await storedBytes();
    expect(stored.some((bytes) => bytes.includes(Buffer.from(CANARY)))).toBe(false);
    expect(stored.some((bytes) => bytes.includes(Buffer.from('CANARY_AT_REST')))).toBe(true); // keys are not secret: proves we read the right data
  });

  it('fails with an integrity error when a ciphertext is moved to another secret', async () => {
    const a = await createSecret(projectId, production, input('MOVED_FROM', 'value a'));
    const b = await createSecret(projectId, production, input('MOVED_TO', 'value b'));
    const blobA = (await db.secretVersion.findFirstOrThrow({ where: { secretId: a.id } })).blob;
    const keys = await projectKeys(projectId);
    expect(() => decryptValue(keys.keyFor, blobA, b.id, 1)).toThrow(IntegrityError);
    const otherKeys = await projectKeys(otherProjectId);
    expect(() => decryptValue(otherKeys.keyFor, blobA, a.id, 1)).toThrow(IntegrityError);
  });
});
