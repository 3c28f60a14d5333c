// Issue 12: shipping without a browser (POST /api/v1/deployments, GET
// /api/v1/deployments/{number}, `keyhold deploy`), adding one secret to
// several environments, the NEXT_PUBLIC_ credential guard and `Generate`.
// A real database (SQLite, or PostgreSQL under pgrun), the real /api/v1
// handler on 127.0.0.1, the real CLI as a child process, real hook receivers.
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { setApiRateLimits } from '@/lib/api/rate-limit';
import { db } from '@/lib/db';
import { createSecretAction, generateSecretValueAction, updateSecretAction } from '@/lib/secrets/actions';
import { createSecret, updateSecret } from '@/lib/secrets/mutations';
import { GENERATE_ALPHABETS, MESSAGES, publicCredentialProblem } from '@/lib/secrets/schemas';
import { runCli } from './support/cli-run';
import { makeToken, startApiServer, type ApiServer } from './support/cli-server';
import { migrateTestDatabase } from './support/db';
import { environmentId, expectAppError, makeTeam, secretInput, type User } from './support/fixtures';
import { signInAs } from './support/session';

const CREDENTIALS: Record<string, string> = {
  pem: '-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\n-----END RSA PRIVATE KEY-----\n',
  stripe: `sk_live_${'4eC39HqLyjWDarjtT1zdp7dc'}`,
  aws: 'AKIAIOSFODNN7EXAMPLE',
  github: `ghp_${'a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8'}`,
  slackBot: 'xoxb-123456789012-abcdefghijkl',
  slackUser: 'xoxp-123456789012-abcdefghijkl',
  jwt: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U',
};

let api: ApiServer;
let admin: User, member: User;
let projectId: string;
const env = {} as Record<'development' | 'staging' | 'production', string>;

type Receiver = { url: string; status: number; requests: number; close: () => Promise<void> };

/** A deploy hook receiver answering `status` (loopback hooks are allowed in tests: setup-env.ts). */
async function receiver(status: number): Promise<Receiver> {
  const state = { status, requests: 0 };
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      state.requests++;
      res.writeHead(state.status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    get status() {
      return state.status;
    },
    set status(next) {
      state.status = next;
    },
    get requests() {
      return state.requests;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

const call = (token: string | null, method: string, path: string, body?: unknown) =>
  fetch(`${api.url}${path}`, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

const cliEnv = (token: string) => ({ KEYHOLD_URL: api.url, KEYHOLD_TOKEN: token });

beforeAll(async () => {
  await migrateTestDatabase();
  ({ admin, member, projectId } = await makeTeam('Ship it'));
  for (const name of ['development', 'staging', 'production'] as const) env[name] = await environmentId(projectId, name);
  setApiRateLimits({ perToken: 0, perIp: 0 });
  api = await startApiServer();
});

afterAll(async () => {
  await api?.close();
  setApiRateLimits(null);
});

beforeEach(() => signInAs(admin));

describe('POST /api/v1/deployments and keyhold deploy', () => {
  it('a read-write token redeploys its environment: number, status and the key-level diff, hook awaited by the CLI', async () => {
    const hook = await receiver(200);
    try {
      await db.environment.update({ where: { id: env.staging }, data: { deployHookUrl: hook.url } });
      const write = await makeToken(projectId, env.staging, { scope: 'read-write' });
      const canary = `canary-${randomUUID()}`;
      expect((await call(write, 'POST', '/api/v1/secrets', { name: 'DEPLOYED_BY_CI', value: canary })).status).toBe(201);

      const result = await runCli(['deploy', '--env', 'staging'], { env: cliEnv(write) });
      expect(result).toMatchObject({ code: 0, stdout: '' });
      expect(result.stderr).toBe('keyhold: staging #1: 1 secret, 1 change:\n  + DEPLOYED_BY_CI\nkeyhold: deployment #1 succeeded: staging now serves it.\n');
      expect(hook.requests).toBe(1);
      const row = await db.deployment.findFirstOrThrow({ where: { environmentId: env.staging, number: 1 } });
      expect(row).toMatchObject({ status: 'SUCCEEDED', triggeredById: null });
      const events = await db.auditEvent.findMany({ where: { projectId, targetId: row.id }, orderBy: { createdAt: 'asc' } });
      expect(events.map((e) => e.action).sort()).toEqual(['deploy.created', 'deploy.succeeded']);
      expect(events.every((e) => e.actorTokenId !== null && e.actorId === null)).toBe(true);
      // Consumers now read it.
      const read = await call(write, 'GET', '/api/v1/secrets/DEPLOYED_BY_CI');
      expect(await read.json()).toEqual({ name: 'DEPLOYED_BY_CI', value: canary });

      // The API answers at once with the diff; GET follows the status; nothing carries a value.
      const patched = await call(
        write,
        'PATCH',
        `/api/v1/secrets/${(await db.secret.findFirstOrThrow({ where: { environmentId: env.staging, key: 'DEPLOYED_BY_CI' } })).id}`,
        { description: 'now described' },
      );
      expect(patched.status).toBe(200);
      const created = await call(write, 'POST', '/api/v1/deployments');
      expect(created.status).toBe(201);
      expect(created.headers.get('location')).toBe('/api/v1/deployments/2');
      const body = (await created.json()) as { number: number; status: string; changes: unknown };
      expect(body).toMatchObject({
        number: 2,
        environment: 'staging',
        changes: { added: [], changed: [{ key: 'DEPLOYED_BY_CI', fields: ['description/type'], rebuild: false }], removed: [] },
      });
      expect(['RUNNING', 'SUCCEEDED']).toContain(body.status);
      await expect.poll(async () => ((await (await call(write, 'GET', '/api/v1/deployments/2')).json()) as { status: string }).status).toBe('SUCCEEDED');
      expect(JSON.stringify(body)).not.toContain(canary);
    } finally {
      await hook.close();
    }
  });

  it('exits non-zero when the hook fails, and the previous deployment keeps serving', async () => {
    const hook = await receiver(500);
    try {
      await db.environment.update({ where: { id: env.production }, data: { deployHookUrl: hook.url } });
      const write = await makeToken(projectId, env.production, { scope: 'read-write' });
      await createSecret(projectId, env.production, secretInput('PROD_ONLY', 'v1'));
      const result = await runCli(['deploy'], { env: cliEnv(write) });
      expect(result.code).toBe(2);
      expect(result.stderr).toBe(
        'keyhold: production #1: 1 secret, 1 change:\n  + PROD_ONLY\n' +
          'keyhold: deployment #1 failed: Hook answered 500. The previous deployment keeps serving; retry it in Keyhold (Deploys).\n',
      );
      expect((await db.deployment.findFirstOrThrow({ where: { environmentId: env.production, number: 1 } })).status).toBe('FAILED');
      expect((await call(write, 'GET', '/api/v1/secrets')).status).toBe(404); // not_deployed: nothing ever succeeded
      expect(((await (await call(write, 'GET', '/api/v1/deployments/1')).json()) as { error: string }).error).toBe('Hook answered 500');
    } finally {
      await db.environment.update({ where: { id: env.production }, data: { deployHookUrl: null } });
      await hook.close();
    }
  });

  it('refuses a read-only token (403), another environment (--env, nothing deployed) and too many deployments (429)', async () => {
    const read = await makeToken(projectId, env.development, { scope: 'read' });
    const refused = await runCli(['deploy'], { env: cliEnv(read) });
    expect(refused).toMatchObject({ code: 2, stdout: '' });
    expect(refused.stderr).toBe(
      'keyhold: this token is read-only (insufficient_scope): keyhold deploy needs a read-write token. Create one in Settings → Tokens.\n',
    );
    expect(((await (await call(read, 'POST', '/api/v1/deployments')).json()) as { error: { code: string } }).error.code).toBe('insufficient_scope');

    const write = await makeToken(projectId, env.development, { scope: 'read-write' });
    const wrong = await runCli(['deploy', '--env', 'production'], { env: cliEnv(write) });
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('This token deploys development, not production');
    expect(await db.deployment.count({ where: { environmentId: env.development } })).toBe(0);

    setApiRateLimits({ perToken: 0, perIp: 0, deploysPerEnvironment: 2 });
    try {
      expect((await call(write, 'POST', '/api/v1/deployments')).status).toBe(201);
      expect((await call(write, 'POST', '/api/v1/deployments')).status).toBe(201);
      const limited = await call(write, 'POST', '/api/v1/deployments');
      expect(limited.status).toBe(429);
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(await db.deployment.count({ where: { environmentId: env.development } })).toBe(2);
    } finally {
      setApiRateLimits({ perToken: 0, perIp: 0 });
    }
    // Another token's environment is not visible by number.
    const other = await makeToken(projectId, env.staging, { scope: 'read' });
    expect((await (await call(other, 'GET', '/api/v1/deployments/2')).json()) as { number: number }).toMatchObject({ environment: 'staging' });
    expect((await call(read, 'GET', '/api/v1/deployments/3')).status).toBe(404);
  });
});

describe('NEXT_PUBLIC_ values that look like credentials', () => {
  it('recognizes each credential shape under NEXT_PUBLIC_ only', () => {
    for (const [name, value] of Object.entries(CREDENTIALS)) {
      expect(publicCredentialProblem('NEXT_PUBLIC_X', value), name).toContain('NEXT_PUBLIC_ values are shipped to every browser');
      expect(publicCredentialProblem('SERVER_ONLY', value), name).toBeNull();
    }
    for (const harmless of ['https://api.example.com', 'pk_live_51Habc', 'G-ABC123', 'sk_test_abc', 'eyJhbGciOi']) {
      expect(publicCredentialProblem('NEXT_PUBLIC_X', harmless), harmless).toBeNull();
    }
  });

  it('the dialogs refuse it next to the value unless overridden; the override is audited, never the value', async () => {
    const refused = await createSecretAction(projectId, env.development, { ...secretInput('NEXT_PUBLIC_STRIPE', CREDENTIALS.stripe), alsoEnvironmentIds: [] });
    expect(refused).toMatchObject({ ok: false, fieldErrors: { value: expect.stringContaining('a Stripe live secret key') } });
    expect(await db.secret.count({ where: { projectId, key: 'NEXT_PUBLIC_STRIPE' } })).toBe(0);

    const allowed = await createSecretAction(projectId, env.development, {
      ...secretInput('NEXT_PUBLIC_STRIPE', CREDENTIALS.stripe),
      allowPublicCredential: true,
    });
    expect(allowed.ok).toBe(true);
    const event = await db.auditEvent.findFirstOrThrow({ where: { projectId, action: 'secret.created', targetLabel: 'NEXT_PUBLIC_STRIPE' } });
    expect(JSON.parse(event.details)).toMatchObject({ publicCredentialOverride: true });
    expect(JSON.stringify(event)).not.toContain(CREDENTIALS.stripe);

    // Edit: a new credential value needs the override again.
    const secret = await db.secret.findFirstOrThrow({ where: { projectId, key: 'NEXT_PUBLIC_STRIPE' } });
    const edit = await updateSecretAction(projectId, secret.id, { value: CREDENTIALS.jwt, description: '', type: 'OTHER', revision: secret.revision });
    expect(edit).toMatchObject({ ok: false, fieldErrors: { value: expect.stringContaining('a JSON Web Token') } });
    await updateSecret(projectId, secret.id, {
      value: CREDENTIALS.jwt,
      description: '',
      type: 'OTHER',
      revision: secret.revision,
      allowPublicCredential: true,
    });
    const changed = await db.auditEvent.findFirstOrThrow({ where: { projectId, action: 'secret.value_changed', targetId: secret.id } });
    expect(JSON.parse(changed.details)).toMatchObject({ publicCredentialOverride: true });
  });

  it('the API refuses it with public_credential (POST, and PATCH renaming a credential to NEXT_PUBLIC_) unless allowPublicCredential', async () => {
    const write = await makeToken(projectId, env.staging, { scope: 'read-write' });
    const refused = await call(write, 'POST', '/api/v1/secrets', { name: 'NEXT_PUBLIC_GH', value: CREDENTIALS.github });
    expect(refused.status).toBe(422);
    const error = ((await refused.json()) as { error: { code: string; message: string; fields: Record<string, string> } }).error;
    expect(error.code).toBe('public_credential');
    expect(error.fields.value).toBe(error.message);
    expect(error.message).not.toContain(CREDENTIALS.github);

    const created = await call(write, 'POST', '/api/v1/secrets', { name: 'GH_TOKEN', value: CREDENTIALS.github });
    const { id } = (await created.json()) as { id: string };
    const rename = await call(write, 'PATCH', `/api/v1/secrets/${id}`, { name: 'NEXT_PUBLIC_GH' });
    expect(rename.status).toBe(422);
    expect(((await rename.json()) as { error: { code: string } }).error.code).toBe('public_credential');
    const renamed = await call(write, 'PATCH', `/api/v1/secrets/${id}`, { name: 'NEXT_PUBLIC_GH', allowPublicCredential: true });
    expect(renamed.status).toBe(200);
    const event = await db.auditEvent.findFirstOrThrow({ where: { projectId, targetId: id, action: 'secret.updated' } });
    expect(JSON.parse(event.details)).toMatchObject({ publicCredentialOverride: true, key: 'GH_TOKEN → NEXT_PUBLIC_GH' });
  });
});

describe('Also add to', () => {
  it('creates the secret in every chosen environment in one transaction, one audit event each', async () => {
    const result = await createSecretAction(projectId, env.development, {
      ...secretInput('SHARED_KEY', 'same value'),
      alsoEnvironmentIds: [env.staging, env.production],
    });
    expect(result.ok).toBe(true);
    const rows = await db.secret.findMany({ where: { projectId, key: 'SHARED_KEY' }, select: { id: true, environmentId: true } });
    expect(rows.map((r) => r.environmentId).sort()).toEqual([env.development, env.staging, env.production].sort());
    const events = await db.auditEvent.findMany({ where: { projectId, action: 'secret.created', targetLabel: 'SHARED_KEY' } });
    expect(events.map((e) => e.environment).sort()).toEqual(['development', 'production', 'staging']);
    const environments = await db.environment.findMany({ where: { id: { in: Object.values(env) } }, select: { changedAt: true } });
    expect(environments.every((e) => e.changedAt !== null)).toBe(true);
  });

  it('writes nothing when the key exists in one of them, and names that environment', async () => {
    await createSecret(projectId, env.production, secretInput('ONLY_IN_PROD'));
    const result = await createSecretAction(projectId, env.development, { ...secretInput('ONLY_IN_PROD'), alsoEnvironmentIds: [env.staging, env.production] });
    expect(result).toMatchObject({ ok: false, fieldErrors: { alsoEnvironmentIds: 'A secret with this key already exists in Production' } });
    expect(await db.secret.count({ where: { projectId, key: 'ONLY_IN_PROD' } })).toBe(1);

    const here = await createSecretAction(projectId, env.production, { ...secretInput('ONLY_IN_PROD'), alsoEnvironmentIds: [env.staging] });
    expect(here).toMatchObject({ ok: false, fieldErrors: { key: MESSAGES.keyExists } });
  });

  it('refuses an environment of another project, and members', async () => {
    const other = await makeTeam('Elsewhere');
    const foreign = await environmentId(other.projectId, 'production');
    signInAs(admin); // makeTeam signed in its own owner
    const result = await createSecretAction(projectId, env.development, { ...secretInput('CROSS_PROJECT'), alsoEnvironmentIds: [foreign] });
    expect(result).toMatchObject({ ok: false, fieldErrors: { alsoEnvironmentIds: MESSAGES.alsoEnvironmentMissing } });
    expect(await db.secret.count({ where: { key: 'CROSS_PROJECT' } })).toBe(0);
    signInAs(member);
    await expectAppError(createSecret(projectId, env.development, secretInput('BY_MEMBER'), [env.staging]), 'forbidden');
  });
});

describe('Generate', () => {
  it('answers a random value of the chosen length and characters, to owners and admins only', async () => {
    const values = new Set<string>();
    for (const alphabet of Object.keys(GENERATE_ALPHABETS) as (keyof typeof GENERATE_ALPHABETS)[]) {
      const result = await generateSecretValueAction(projectId, { length: 40, alphabet });
      if (!result.ok) throw new Error(result.error);
      expect(result.data.value).toHaveLength(40);
      expect([...result.data.value].every((c) => GENERATE_ALPHABETS[alphabet].characters.includes(c))).toBe(true);
      values.add(result.data.value);
    }
    expect(values.size).toBe(4);
    expect(await generateSecretValueAction(projectId, { length: 8, alphabet: 'hex' })).toMatchObject({
      ok: false,
      fieldErrors: { length: 'Length must be at least 16' },
    });
    signInAs(member);
    expect(await generateSecretValueAction(projectId, { length: 32, alphabet: 'hex' })).toMatchObject({ ok: false });
  });
});
