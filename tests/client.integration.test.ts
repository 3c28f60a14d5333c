// keyhold/client (client/index.mjs, global fetch) against the real /api/v1
// handler on 127.0.0.1 over a migrated SQLite database.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDotenv } from '../cli/dotenv.mjs';
import { createClient, KeyholdError, type FetchLike } from '../client/index.mjs';
import { decryptValue } from '@/lib/crypto/envelope';
import { db } from '@/lib/db';
import { projectKeys } from '@/lib/projects/keys';
import { AWKWARD } from './support/cli-fixtures';
import { migrateTestDatabase } from './support/db';
import { deploySecrets, makeToken, seedProject, startApiServer, type ApiServer, type SeededProject } from './support/cli-server';

let api: ApiServer;
let project: SeededProject;
let other: SeededProject;
const tokens = {} as Record<'read' | 'readWrite' | 'revoked' | 'otherProject' | 'undeployed', string>;

/** Global fetch, recording each answer's status. */
const statuses: number[] = [];
const recordingFetch: FetchLike = async (url, init) => {
  const response = await fetch(url, init);
  statuses.push(response.status);
  return response;
};

const caught = async (promise: Promise<unknown>) => {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(KeyholdError);
  return error as KeyholdError;
};

beforeAll(async () => {
  await migrateTestDatabase();
  [project, other] = await Promise.all([seedProject('Client app'), seedProject('Client other')]);
  await deploySecrets(project.projectId, project.environments.production, [
    ['STRIPE_API_KEY', 'sk_live_first'],
    ['info', 'a secret named info'],
    ['__proto__', 'proto value'],
  ]);
  await deploySecrets(other.projectId, other.environments.production, [['STRIPE_API_KEY', 'sk_live_other_project']]);
  tokens.read = await makeToken(project.projectId, project.environments.production);
  tokens.readWrite = await makeToken(project.projectId, project.environments.staging, { scope: 'read-write' });
  tokens.revoked = await makeToken(project.projectId, project.environments.production, { revokedAt: new Date() });
  tokens.otherProject = await makeToken(other.projectId, other.environments.production);
  tokens.undeployed = await makeToken(project.projectId, project.environments.development);
  api = await startApiServer();
});

afterAll(async () => {
  await api?.close();
});

describe('reading over HTTP', () => {
  it('reads the deployed environment, revalidates with its ETag (304) and sees the next deployment', async () => {
    const keyhold = createClient({ url: api.url, token: tokens.read, fetch: recordingFetch });
    statuses.length = 0;
    const first = await keyhold.fetchSecrets();
    expect(first).toMatchObject({ deployment: 1, notModified: false });
    expect(first.etag).toMatch(/^"[^"]+"$/);
    expect(Object.entries(first.secrets).sort()).toEqual([
      ['STRIPE_API_KEY', 'sk_live_first'],
      ['__proto__', 'proto value'],
      ['info', 'a secret named info'],
    ]);
    const again = await keyhold.fetchSecrets();
    expect(again).toMatchObject({ notModified: true, deployment: 1, etag: first.etag });
    expect(again.secrets).toBe(first.secrets);
    expect(statuses).toEqual([200, 304]);

    await deploySecrets(project.projectId, project.environments.production, [
      ['STRIPE_API_KEY', 'sk_live_second'],
      ['info', 'a secret named info'],
      ['__proto__', 'proto value'],
    ]);
    const next = await keyhold.fetchSecrets();
    expect(next).toMatchObject({ deployment: 2, notModified: false });
    expect(next.etag).not.toBe(first.etag);
    expect(next.secrets.STRIPE_API_KEY).toBe('sk_live_second');
    expect(statuses).toEqual([200, 304, 200]);
  });

  it('reads one secret by name, and says which are missing', async () => {
    const keyhold = createClient({ url: api.url, token: tokens.read });
    expect(await keyhold.getSecret('STRIPE_API_KEY')).toBe('sk_live_second');
    expect(await keyhold.getSecret('__proto__')).toBe('proto value');
    // /secrets/info is the working-set listing: the client reads `info` from the whole environment.
    expect(await keyhold.getSecret('info')).toBe('a secret named info');
    expect(await caught(keyhold.getSecret('NOT_THERE'))).toMatchObject({ code: 'secret_not_found', status: 404 });
    const otherProject = createClient({ url: api.url, token: tokens.otherProject });
    expect(await otherProject.getSecret('STRIPE_API_KEY')).toBe('sk_live_other_project');
    expect(await caught(otherProject.getSecret('info'))).toMatchObject({ code: 'secret_not_found' });
  });

  it('reports the token and deployment errors by code', async () => {
    expect(await caught(createClient({ url: api.url, token: tokens.revoked }).getSecrets())).toMatchObject({ code: 'token_revoked', status: 401 });
    expect(await caught(createClient({ url: api.url, token: `kh_${'Q'.repeat(43)}` }).getSecrets())).toMatchObject({ code: 'invalid_token', status: 401 });
    expect(await caught(createClient({ url: api.url, token: tokens.undeployed }).getSecrets())).toMatchObject({ code: 'not_deployed', status: 404 });
    expect(await caught(createClient({ url: api.url, token: tokens.undeployed }).getSecret('X'))).toMatchObject({ code: 'not_deployed', status: 404 });
  });

  it("the server's ?format=dotenv body reads back (dotenv) to the same values as the JSON", async () => {
    const awkward = await seedProject('Client dotenv');
    await deploySecrets(awkward.projectId, awkward.environments.production, AWKWARD);
    const token = await makeToken(awkward.projectId, awkward.environments.production);
    const json = await createClient({ url: api.url, token }).getSecrets();
    const response = await fetch(`${api.url}/api/v1/secrets?format=dotenv`, { headers: { authorization: `Bearer ${token}` } });
    expect(response.status).toBe(200);
    const skipped = (response.headers.get('x-keyhold-skipped-keys') ?? '').split(',').filter(Boolean);
    expect(skipped).toEqual([]);
    const text = await response.text();
    expect(parseDotenv(text)).toEqual(new Map(Object.entries(json)));
    expect(parseDotenv(text, { fast: true })).toEqual(new Map(Object.entries(json)));
  });
});

describe('writing over HTTP (read-write token)', () => {
  async function stored(id: string) {
    const secret = await db.secret.findUnique({ where: { id }, include: { versions: true } });
    if (!secret) return null;
    const keys = await projectKeys(secret.projectId);
    const version = secret.versions.find((v) => v.version === secret.currentVersion)!;
    return {
      key: secret.key,
      environmentId: secret.environmentId,
      type: secret.type,
      description: secret.description,
      value: decryptValue(keys.keyFor, version.blob, secret.id, version.version),
    };
  }

  it('creates, lists without values, updates and deletes in the token’s environment', async () => {
    const keyhold = createClient({ url: api.url, token: tokens.readWrite });
    const { id } = await keyhold.createSecret({ name: 'WEBHOOK_SECRET', value: 'whsec_first', description: 'Stripe webhook', type: 'TOKEN' });
    expect(await stored(id)).toEqual({
      key: 'WEBHOOK_SECRET',
      environmentId: project.environments.staging,
      type: 'TOKEN',
      description: 'Stripe webhook',
      value: 'whsec_first',
    });

    const info = await keyhold.listSecretInfo();
    expect(info).toEqual([
      { id, name: 'WEBHOOK_SECRET', description: 'Stripe webhook', type: 'TOKEN', createdAt: expect.any(String), updatedAt: expect.any(String) },
    ]);
    expect(JSON.stringify(info)).not.toContain('whsec_');

    expect(await keyhold.updateSecret(id, { value: 'whsec_second' })).toEqual({ id });
    expect(await stored(id)).toMatchObject({ value: 'whsec_second', description: 'Stripe webhook' });

    await keyhold.deleteSecret(id);
    expect(await stored(id)).toBeNull();
    expect(await caught(keyhold.deleteSecret(id))).toMatchObject({ code: 'secret_not_found', status: 404 });
  });

  it('answers invalid input with validation_failed and its fields', async () => {
    const keyhold = createClient({ url: api.url, token: tokens.readWrite });
    const error = await caught(keyhold.createSecret({ name: '1BAD', value: '' }));
    expect(error).toMatchObject({ code: 'validation_failed', status: 422 });
    expect(error.fields).toMatchObject({ name: expect.any(String), value: 'Secret value is required' });
    expect(await db.secret.count({ where: { key: '1BAD' } })).toBe(0);
  });

  it('refuses writes with a read token (403) and leaves the database alone', async () => {
    const keyhold = createClient({ url: api.url, token: tokens.read });
    expect(await caught(keyhold.createSecret({ name: 'FORBIDDEN_WRITE', value: 'x' }))).toMatchObject({ code: 'insufficient_scope', status: 403 });
    expect(await caught(keyhold.listSecretInfo())).toMatchObject({ code: 'insufficient_scope', status: 403 });
    expect(await db.secret.count({ where: { key: 'FORBIDDEN_WRITE' } })).toBe(0);
  });
});
