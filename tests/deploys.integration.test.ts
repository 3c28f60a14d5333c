import { createHmac, randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { decryptValue, encryptValue } from '@/lib/crypto/envelope';
import { db } from '@/lib/db';
import { findSigningSecretsAction, previewRedeployAction, redeployAction, retryDeploymentAction, updateDeployHookAction } from '@/lib/deploys/actions';
import { onDeploymentSucceeded, type DeploymentSucceeded } from '@/lib/deploys/events';
import { redeploy, retryDeployment, updateDeployHook } from '@/lib/deploys/mutations';
import { deployHookSettings, hasPendingDeploy, listDeployments, previewRedeploy, projectDeployOverview } from '@/lib/deploys/queries';
import { MESSAGES } from '@/lib/deploys/schemas';
import { liveDeployment, openSnapshot, readSnapshot } from '@/lib/deploys/snapshot';
import { projectKeys } from '@/lib/projects/keys';
import { createProject } from '@/lib/projects/mutations';
import { deleteSecretAction } from '@/lib/secrets/actions';
import { createSecret, deleteSecret, updateSecret } from '@/lib/secrets/mutations';
import { migrateTestDatabase, storedBytes } from './support/db';
import { withWritesHeld } from './support/held-writes';
import { signInAs } from './support/session';
import { deployStateOf, makeUser, type User, expectAppError } from './support/fixtures';
import { deniedMessage } from '@/lib/permissions';

type Project = { id: string; slug: string; development: string; staging: string; production: string };

const CANARY = `canary-${randomUUID()}-value`;
const SIGNING_VALUE = `whsec-${randomUUID()}`;
let owner: User, admin: User, member: User, outsider: User;

/** A fresh project (so each test has its own deployment numbers) with an admin and a member. */
async function newProject(name = `Deploys ${randomUUID().slice(0, 8)}`): Promise<Project> {
  signInAs(owner);
  const { slug } = await createProject({ name });
  const project = await db.project.findUniqueOrThrow({ where: { slug }, include: { environments: true } });
  await db.membership.createMany({
    data: [
      { projectId: project.id, userId: admin.id, role: 'ADMIN' },
      { projectId: project.id, userId: member.id, role: 'MEMBER' },
    ],
  });
  signInAs(admin);
  const env = (n: string) => project.environments.find((e) => e.name === n)!.id;
  return { id: project.id, slug, development: env('development'), staging: env('staging'), production: env('production') };
}

const add = (p: Project, environmentId: string, key: string, value: string, description = '') =>
  createSecret(p.id, environmentId, { key, value, description, type: 'OTHER' });

async function snapshotOf(environmentId: string) {
  const live = await liveDeployment(environmentId);
  if (!live) return null;
  return { number: live.number, secrets: Object.fromEntries(await readSnapshot(live)) };
}

// ------------------------------------------------------------ a real receiver

type Received = { headers: http.IncomingHttpHeaders; body: string };
type Mode = 'ok' | 'fail' | 'hang';

class Receiver {
  mode: Mode = 'ok';
  received: Received[] = [];
  private server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      this.received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      if (this.mode === 'hang') return; // never answers
      // No keep-alive: an idle connection the server times out while the client reuses it resets (ECONNRESET) on a busy machine.
      res.writeHead(this.mode === 'ok' ? 204 : 500, { 'content-type': 'text/plain', connection: 'close' });
      res.end(this.mode === 'ok' ? '' : `internal error while handling ${CANARY}`);
    });
  });
  url = '';

  async start() {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hooks/keyhold?token=tok_${randomUUID()}`;
    return this;
  }

  async stop() {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  /** What a receiver does with the documented headers, computed here with node:crypto alone. */
  static verify(request: Received, secret: string): boolean {
    const timestamp = String(request.headers['keyhold-timestamp']);
    const expected = `v1=${createHmac('sha256', secret).update(`${timestamp}.${request.body}`).digest('hex')}`;
    const fresh = Math.abs(Date.now() / 1000 - Number(timestamp)) < 300;
    return fresh && request.headers['keyhold-signature'] === expected;
  }
}

let receiver: Receiver;

beforeAll(async () => {
  await migrateTestDatabase();
  [owner, admin, member, outsider] = await Promise.all(['Owner', 'Admin', 'Member', 'Outsider'].map(makeUser));
  receiver = await new Receiver().start();
});

afterAll(async () => {
  await receiver.stop();
});

beforeEach(() => {
  signInAs(admin);
  receiver.mode = 'ok';
  receiver.received = [];
});

// ------------------------------------------------------------ tests

describe('snapshots', () => {
  it('consumers read the snapshot; edits after a deploy change nothing until the next successful one', async () => {
    const p = await newProject();
    const a = await add(p, p.production, 'API_KEY', 'first');
    await add(p, p.production, 'DB_URL', 'postgres://one');
    expect(await liveDeployment(p.production)).toBeNull();
    expect((await deployStateOf(p.id, p.production)).pending).toBe(true);
    expect(await hasPendingDeploy(p.id, p.production)).toBe(true);

    const first = await redeploy(p.id, p.production);
    expect(first).toMatchObject({ number: 1, status: 'SUCCEEDED', error: null, environment: 'production' });
    expect(await snapshotOf(p.production)).toEqual({ number: 1, secrets: { API_KEY: 'first', DB_URL: 'postgres://one' } });
    expect((await deployStateOf(p.id, p.production)).pending).toBe(false);
    expect(await hasPendingDeploy(p.id, p.production)).toBe(false);

    await updateSecret(p.id, a.id, { value: 'second', description: '', type: 'OTHER', revision: 1 });
    await add(p, p.production, 'NEW_KEY', 'new');
    expect(await snapshotOf(p.production)).toEqual({ number: 1, secrets: { API_KEY: 'first', DB_URL: 'postgres://one' } });
    const state = await deployStateOf(p.id, p.production);
    expect(state).toMatchObject({ pending: true, live: { number: 1 }, last: { number: 1, status: 'SUCCEEDED' } });
    expect(await hasPendingDeploy(p.id, p.production)).toBe(true);

    const preview = await previewRedeploy(p.id, p.production);
    expect(preview).toMatchObject({
      base: { number: 1 },
      secretCount: 3,
      hook: null,
      changes: { added: [{ key: 'NEW_KEY', rebuild: false }], changed: [{ key: 'API_KEY', fields: ['value'], rebuild: false }], removed: [] },
    });
    expect(JSON.stringify(preview)).not.toMatch(/second|first|postgres|new"/);

    expect(await redeploy(p.id, p.production)).toMatchObject({ number: 2, status: 'SUCCEEDED' });
    expect(await snapshotOf(p.production)).toEqual({
      number: 2,
      secrets: { API_KEY: 'second', DB_URL: 'postgres://one', NEW_KEY: 'new' },
    });
    expect((await deployStateOf(p.id, p.production)).pending).toBe(false);
    // Other environments are untouched.
    expect(await liveDeployment(p.staging)).toBeNull();
  });

  it('a deleted secret reaches consumers only at the next successful deployment', async () => {
    const p = await newProject();
    const doomed = await add(p, p.staging, 'OLD_TOKEN', 'old');
    await add(p, p.staging, 'KEEP', 'keep');
    await redeploy(p.id, p.staging);
    await deleteSecret(p.id, doomed.id);
    expect((await snapshotOf(p.staging))?.secrets).toEqual({ OLD_TOKEN: 'old', KEEP: 'keep' });
    expect((await previewRedeploy(p.id, p.staging)).changes.removed).toEqual([{ key: 'OLD_TOKEN', rebuild: false }]);

    // A failing deployment does not remove it either.
    await updateDeployHook(p.id, p.staging, { url: receiver.url, signingSecretId: '' });
    receiver.mode = 'fail';
    expect(await redeploy(p.id, p.staging)).toMatchObject({ number: 2, status: 'FAILED' });
    expect(await snapshotOf(p.staging)).toEqual({ number: 1, secrets: { OLD_TOKEN: 'old', KEEP: 'keep' } });

    receiver.mode = 'ok';
    expect(await redeploy(p.id, p.staging)).toMatchObject({ number: 3, status: 'SUCCEEDED' });
    expect(await snapshotOf(p.staging)).toEqual({ number: 3, secrets: { KEEP: 'keep' } });
    const stored = await db.deployment.findFirstOrThrow({ where: { environmentId: p.staging, number: 3 } });
    expect(JSON.parse(stored.changes)).toEqual({ added: [], changed: [], removed: [{ key: 'OLD_TOKEN', rebuild: false }] });
  });

  it('keeps keys like __proto__ and constructor, and a metadata-only edit is a description/type change', async () => {
    const p = await newProject();
    await add(p, p.development, '__proto__', 'proto-value');
    const c = await add(p, p.development, 'constructor', 'ctor-value');
    await add(p, p.development, 'NEXT_PUBLIC_SITE_URL', 'https://site.test');
    await redeploy(p.id, p.development);
    // Compared as entries: an object literal with `__proto__` would set the prototype instead.
    const map = await readSnapshot((await liveDeployment(p.development))!);
    expect([...map]).toEqual([
      ['NEXT_PUBLIC_SITE_URL', 'https://site.test'],
      ['__proto__', 'proto-value'],
      ['constructor', 'ctor-value'],
    ]);
    expect(map.get('__proto__')).toBe('proto-value');

    await updateSecret(p.id, c.id, { value: '', description: 'Now described', type: 'OTHER', revision: 1 });
    const preview = await previewRedeploy(p.id, p.development);
    expect(preview.changes.changed).toEqual([{ key: 'constructor', fields: ['description/type'], rebuild: false }]);
  });

  it('two redeploys at once give two consecutive deployments, each exactly the versions it lists', async () => {
    const p = await newProject();
    const x = await add(p, p.production, 'X', 'x1');
    const y = await add(p, p.production, 'Y', 'y1');
    const [r1, r2] = await Promise.all([
      redeploy(p.id, p.production),
      redeploy(p.id, p.production),
      updateSecret(p.id, x.id, { value: 'x2', description: '', type: 'OTHER', revision: 1 }),
      updateSecret(p.id, y.id, { value: 'y2', description: '', type: 'OTHER', revision: 1 }),
    ]);
    expect(new Set([r1.number, r2.number])).toEqual(new Set([1, 2]));
    expect([r1.status, r2.status]).toEqual(['SUCCEEDED', 'SUCCEEDED']);

    const keys = await projectKeys(p.id);
    const deployments = await db.deployment.findMany({ where: { environmentId: p.production }, include: { items: true }, orderBy: { number: 'asc' } });
    expect(deployments.map((d) => d.number)).toEqual([1, 2]);
    for (const deployment of deployments) {
      const snapshot = openSnapshot(keys, deployment.id, deployment.snapshot);
      expect(deployment.items).toHaveLength(2);
      expect(deployment.secretCount).toBe(2);
      for (const item of deployment.items) {
        const version = await db.secretVersion.findUniqueOrThrow({ where: { secretId_version: { secretId: item.secretId, version: item.version } } });
        expect(snapshot.get(item.key)).toBe(decryptValue(keys.keyFor, version.blob, item.secretId, item.version));
      }
    }
    expect(await db.auditEvent.count({ where: { projectId: p.id, action: 'deploy.created' } })).toBe(2);
    expect(await db.auditEvent.count({ where: { projectId: p.id, action: 'deploy.succeeded' } })).toBe(2);
  });

  it('a large environment deploys the current version of every secret (read in chunks)', async () => {
    const p = await newProject();
    const keys = await projectKeys(p.id);
    const count = 640;
    const secrets = Array.from({ length: count }, (_, i) => ({ id: randomUUID(), key: `BULK_${String(i).padStart(4, '0')}` }));
    await db.secret.createMany({
      data: secrets.map((s, i) => ({
        id: s.id,
        projectId: p.id,
        environmentId: p.production,
        key: s.key,
        keyFolded: s.key.toLowerCase(),
        type: 'OTHER',
        // Every third secret has a second value: the first must not be deployed.
        currentVersion: i % 3 === 0 ? 2 : 1,
        revision: i % 3 === 0 ? 2 : 1,
      })),
    });
    await db.secretVersion.createMany({
      data: secrets.flatMap((s, i) => [
        { secretId: s.id, version: 1, blob: encryptValue(keys.current.key, keys.current.version, `old-${i}`, s.id, 1) },
        ...(i % 3 === 0 ? [{ secretId: s.id, version: 2, blob: encryptValue(keys.current.key, keys.current.version, `new-${i}`, s.id, 2) }] : []),
      ]),
    });
    await db.environment.update({ where: { id: p.production }, data: { changedAt: new Date() } });

    const started = Date.now();
    expect(await redeploy(p.id, p.production)).toMatchObject({ number: 1, status: 'SUCCEEDED' });
    expect(Date.now() - started).toBeLessThan(10_000);
    const map = await readSnapshot((await liveDeployment(p.production))!);
    expect(map.size).toBe(count);
    secrets.forEach((s, i) => expect(map.get(s.key)).toBe(i % 3 === 0 ? `new-${i}` : `old-${i}`));
    expect(await db.deploymentSecret.count({ where: { deployment: { environmentId: p.production } } })).toBe(count);
  });

  it('an empty environment deploys an empty snapshot', async () => {
    const p = await newProject();
    expect(await redeploy(p.id, p.staging)).toMatchObject({ number: 1, status: 'SUCCEEDED' });
    expect(await snapshotOf(p.staging)).toEqual({ number: 1, secrets: {} });
  });
});

describe('deploy hooks', () => {
  it('a real receiver gets a signed notification it can verify, with keys and no values', async () => {
    const p = await newProject('Hook Project');
    const signing = await add(p, p.production, 'DEPLOY_HOOK_SECRET', SIGNING_VALUE);
    await add(p, p.production, 'STRIPE_KEY', CANARY);
    await updateDeployHook(p.id, p.production, { url: receiver.url, signingSecretId: signing.id });

    const result = await redeploy(p.id, p.production);
    expect(result).toMatchObject({ number: 1, status: 'SUCCEEDED', error: null });
    expect(receiver.received).toHaveLength(1);
    const [request] = receiver.received;
    expect(Receiver.verify(request, SIGNING_VALUE)).toBe(true);
    expect(Receiver.verify(request, 'another-secret')).toBe(false);
    expect(request.headers['content-type']).toBe('application/json');
    expect(request.headers['user-agent']).toBe('Keyhold');
    expect(request.headers['keyhold-delivery']).toMatch(/^[0-9a-f-]{36}$/);
    const body = JSON.parse(request.body);
    expect(body).toEqual({
      project: { slug: p.slug, name: 'Hook Project' },
      environment: 'production',
      deployment: 1,
      changes: { added: ['DEPLOY_HOOK_SECRET', 'STRIPE_KEY'], changed: [], removed: [] },
      timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    expect(Math.abs(Date.parse(body.timestamp) / 1000 - Number(request.headers['keyhold-timestamp']))).toBeLessThan(1);
    expect(request.body).not.toContain(CANARY);
    expect(request.body).not.toContain(SIGNING_VALUE);

    const row = await db.deployment.findFirstOrThrow({ where: { id: result.id } });
    expect(row).toMatchObject({ status: 'SUCCEEDED', hookStatus: 204, attempts: 1, error: null });

    // Rotating the signing secret's value signs the next notification with the new value.
    await updateSecret(p.id, signing.id, { value: `${SIGNING_VALUE}-rotated`, description: '', type: 'OTHER', revision: 1 });
    await redeploy(p.id, p.production);
    expect(Receiver.verify(receiver.received[1], `${SIGNING_VALUE}-rotated`)).toBe(true);
    // Every delivery has its own id.
    expect(receiver.received[1].headers['keyhold-delivery']).not.toBe(request.headers['keyhold-delivery']);
  });

  it('a hook without a signing secret is notified unsigned', async () => {
    const p = await newProject();
    await updateDeployHook(p.id, p.development, { url: receiver.url, signingSecretId: '' });
    expect(await redeploy(p.id, p.development)).toMatchObject({ status: 'SUCCEEDED' });
    expect(receiver.received[0].headers['keyhold-signature']).toBeUndefined();
    expect(receiver.received[0].headers['keyhold-timestamp']).toMatch(/^\d+$/);
  });

  it('a hook answering 500 fails the deployment and leaves the previous one live; Retry succeeds once it is fixed', async () => {
    const p = await newProject();
    const signing = await add(p, p.production, 'HOOK_SECRET', SIGNING_VALUE);
    await add(p, p.production, 'API_KEY', 'v1');
    await redeploy(p.id, p.production);
    await updateDeployHook(p.id, p.production, { url: receiver.url, signingSecretId: signing.id });
    await add(p, p.production, 'LATER', CANARY);

    receiver.mode = 'fail';
    const failed = await redeploy(p.id, p.production);
    expect(failed).toEqual({ id: failed.id, number: 2, environment: 'production', status: 'FAILED', error: 'Hook answered 500' });
    expect(await snapshotOf(p.production)).toEqual({ number: 1, secrets: { HOOK_SECRET: SIGNING_VALUE, API_KEY: 'v1' } });
    expect((await deployStateOf(p.id, p.production)).pending).toBe(true);
    const row = await db.deployment.findUniqueOrThrow({ where: { id: failed.id } });
    expect(row).toMatchObject({ status: 'FAILED', hookStatus: 500, attempts: 1, error: 'Hook answered 500' });
    expect(row.error).not.toContain(CANARY); // the response body quoted it; it is never stored
    const failedEvent = await db.auditEvent.findFirstOrThrow({ where: { targetId: failed.id, action: 'deploy.failed' } });
    expect(JSON.parse(failedEvent.details)).toMatchObject({ number: 2, attempt: 1, hookStatus: 500, error: 'Hook answered 500', signed: true });
    expect(failedEvent.details).not.toContain('token=');

    const listed = (await listDeployments(p.id)).rows.find((r) => r.id === failed.id)!;
    expect(listed).toMatchObject({ status: 'FAILED', retryable: true, superseded: false, live: false, error: 'Hook answered 500' });

    receiver.mode = 'ok';
    const retried = await retryDeployment(p.id, failed.id);
    expect(retried).toMatchObject({ number: 2, status: 'SUCCEEDED', error: null });
    expect(await db.deployment.findUniqueOrThrow({ where: { id: failed.id } })).toMatchObject({
      status: 'SUCCEEDED',
      attempts: 2,
      error: null,
      hookStatus: 204,
    });
    expect(await snapshotOf(p.production)).toEqual({ number: 2, secrets: { HOOK_SECRET: SIGNING_VALUE, API_KEY: 'v1', LATER: CANARY } });
    expect(Receiver.verify(receiver.received.at(-1)!, SIGNING_VALUE)).toBe(true);
    expect(JSON.parse(receiver.received.at(-1)!.body).deployment).toBe(2);
    expect((await deployStateOf(p.id, p.production)).pending).toBe(false);

    await expectAppError(retryDeployment(p.id, failed.id), 'conflict', 'Deployment #2 is succeeded and cannot be retried.');
  });

  it('a hook that hangs times out and fails; an unreachable one names the network error', async () => {
    const p = await newProject();
    await add(p, p.production, 'A', 'a');
    await redeploy(p.id, p.production);
    await updateDeployHook(p.id, p.production, { url: receiver.url, signingSecretId: '' });

    receiver.mode = 'hang';
    const started = Date.now();
    const hung = await redeploy(p.id, p.production, { timeoutMs: 300 });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(hung).toMatchObject({ number: 2, status: 'FAILED', error: 'Hook timed out after 0.3 s' });
    expect((await db.deployment.findUniqueOrThrow({ where: { id: hung.id } })).hookStatus).toBeNull();
    expect((await liveDeployment(p.production))?.number).toBe(1);

    // A port nobody listens on.
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    await updateDeployHook(p.id, p.production, { url: `http://127.0.0.1:${port}/hook`, signingSecretId: '' });
    expect(await redeploy(p.id, p.production)).toMatchObject({ number: 3, status: 'FAILED', error: 'Hook unreachable: ECONNREFUSED' });
    expect((await liveDeployment(p.production))?.number).toBe(1);
  });

  it('a retry never goes live over a newer successful deployment: an older failed one is superseded', async () => {
    const p = await newProject();
    await add(p, p.staging, 'A', 'a');
    await updateDeployHook(p.id, p.staging, { url: receiver.url, signingSecretId: '' });
    receiver.mode = 'fail';
    const old = await redeploy(p.id, p.staging);
    expect(old.status).toBe('FAILED');
    receiver.mode = 'ok';
    const newer = await redeploy(p.id, p.staging);
    expect(newer).toMatchObject({ number: 2, status: 'SUCCEEDED' });

    const rows = (await listDeployments(p.id, { environmentId: p.staging })).rows;
    expect(rows.map((r) => [r.number, r.status, r.live, r.retryable, r.superseded])).toEqual([
      [2, 'SUCCEEDED', true, false, false],
      [1, 'FAILED', false, false, true],
    ]);
    await expectAppError(retryDeployment(p.id, old.id), 'conflict', 'Deployment #1 was superseded by #2, which already succeeded. Redeploy instead.');
    expect((await db.deployment.findUniqueOrThrow({ where: { id: old.id } })).attempts).toBe(1);
    expect((await liveDeployment(p.staging))?.number).toBe(2);
  });

  it('a deployment stuck in RUNNING (the server stopped mid-delivery) shows as stalled and can be retried', async () => {
    const p = await newProject();
    await add(p, p.development, 'A', 'a');
    await updateDeployHook(p.id, p.development, { url: receiver.url, signingSecretId: '' });
    receiver.mode = 'fail';
    const { id } = await redeploy(p.id, p.development);
    const longAgo = new Date(Date.now() - 10 * 60_000);
    await db.deployment.update({ where: { id }, data: { status: 'RUNNING', startedAt: longAgo, finishedAt: null } });
    const [row] = (await listDeployments(p.id, { environmentId: p.development })).rows;
    expect(row).toMatchObject({ status: 'RUNNING', stalled: true, retryable: true });
    receiver.mode = 'ok';
    expect(await retryDeployment(p.id, id)).toMatchObject({ status: 'SUCCEEDED' });

    // A fresh RUNNING one is not stalled and cannot be retried concurrently.
    await db.deployment.update({ where: { id }, data: { status: 'RUNNING', startedAt: new Date() } });
    await expectAppError(retryDeployment(p.id, id), 'conflict', 'Deployment #1 is running and cannot be retried.');
  });

  it('announces each successful deployment to listeners (the API drops its caches), not failed ones', async () => {
    const p = await newProject();
    const seen: DeploymentSucceeded[] = [];
    const stop = onDeploymentSucceeded((event) => seen.push(event));
    const noisy = onDeploymentSucceeded(() => {
      throw new Error('a broken listener');
    });
    try {
      const ok = await redeploy(p.id, p.production);
      await updateDeployHook(p.id, p.production, { url: receiver.url, signingSecretId: '' });
      receiver.mode = 'fail';
      await redeploy(p.id, p.production);
      expect(seen).toEqual([{ projectId: p.id, environmentId: p.production, deploymentId: ok.id, number: 1 }]);
    } finally {
      stop();
      noisy();
    }
  });
});

describe('hook settings', () => {
  it('saves a URL and a signing secret of that environment, audited without the URL path or any value', async () => {
    const p = await newProject();
    const signing = await add(p, p.production, 'SIGNER', SIGNING_VALUE);
    const elsewhere = await add(p, p.staging, 'STAGING_SIGNER', 'x');

    expect(await updateDeployHookAction(p.id, p.production, { url: receiver.url, signingSecretId: signing.id })).toEqual({ ok: true, data: undefined });
    const settings = await deployHookSettings(p.id);
    expect(settings.find((s) => s.environment.name === 'production')).toMatchObject({
      url: receiver.url,
      origin: new URL(receiver.url).origin,
      signingSecret: { id: signing.id, key: 'SIGNER' },
      options: [{ id: signing.id, key: 'SIGNER' }],
    });
    const event = await db.auditEvent.findFirstOrThrow({ where: { projectId: p.id, action: 'deploy_hook.updated' } });
    expect(JSON.parse(event.details)).toEqual({
      url: 'set',
      hook: new URL(receiver.url).origin,
      signingSecret: 'SIGNER',
      previousSigningSecret: null,
    });
    expect(JSON.stringify(event)).not.toContain('token=');
    expect(JSON.stringify(event)).not.toContain(SIGNING_VALUE);

    // A secret of another environment cannot sign this one.
    expect(await updateDeployHookAction(p.id, p.production, { url: receiver.url, signingSecretId: elsewhere.id })).toEqual({
      ok: false,
      error: MESSAGES.signingSecretMissing,
      code: 'validation_failed',
      fieldErrors: { signingSecretId: MESSAGES.signingSecretMissing },
    });
    // Only http(s).
    expect(await updateDeployHookAction(p.id, p.production, { url: 'ftp://files.example.test/x', signingSecretId: '' })).toEqual({
      ok: false,
      error: MESSAGES.hookUrlInvalid,
      code: 'validation_failed',
      fieldErrors: { url: MESSAGES.hookUrlInvalid },
    });
    expect(await db.environment.findUniqueOrThrow({ where: { id: p.production } })).toMatchObject({
      deployHookUrl: receiver.url,
      hookSecretId: signing.id,
    });

    // Saving the same settings again writes no event; removing the URL clears the signing secret too.
    await updateDeployHook(p.id, p.production, { url: receiver.url, signingSecretId: signing.id });
    expect(await db.auditEvent.count({ where: { projectId: p.id, action: 'deploy_hook.updated' } })).toBe(1);
    await updateDeployHook(p.id, p.production, { url: '', signingSecretId: signing.id });
    expect(await db.environment.findUniqueOrThrow({ where: { id: p.production } })).toMatchObject({ deployHookUrl: null, hookSecretId: null });
    const removed = await db.auditEvent.findFirstOrThrow({ where: { projectId: p.id, action: 'deploy_hook.updated' }, orderBy: { createdAt: 'desc' } });
    expect(JSON.parse(removed.details)).toMatchObject({ url: 'removed', hook: null, previousSigningSecret: 'SIGNER' });
  });

  it('refuses to delete the secret that signs a deploy hook, naming the hook', async () => {
    const p = await newProject();
    const signing = await add(p, p.production, 'SIGNER', SIGNING_VALUE);
    await updateDeployHook(p.id, p.production, { url: receiver.url, signingSecretId: signing.id });
    const message = 'This secret signs the production deploy hook. Choose another signing secret first.';
    await expectAppError(deleteSecret(p.id, signing.id), 'conflict', message);
    expect(await deleteSecretAction(p.id, signing.id)).toEqual({ ok: false, error: message, code: 'conflict' });
    expect(await db.secret.count({ where: { id: signing.id } })).toBe(1);

    await updateDeployHook(p.id, p.production, { url: receiver.url, signingSecretId: '' });
    await deleteSecret(p.id, signing.id);
    expect(await db.secret.count({ where: { id: signing.id } })).toBe(0);
  });

  it('never signs a hook with a deleted secret when the secret is deleted while it is being chosen', async () => {
    const p = await newProject();
    const signing = await add(p, p.production, 'SIGNER', SIGNING_VALUE);
    // One admin, two tabs: each check alone passes (no hook uses the secret; the secret exists).
    const [deleted, chosen] = await withWritesHeld('Environment', 2, () =>
      Promise.allSettled([deleteSecret(p.id, signing.id), updateDeployHook(p.id, p.production, { url: receiver.url, signingSecretId: signing.id })]),
    );
    expect([deleted.status, chosen.status].sort()).toEqual(['fulfilled', 'rejected']);
    const kept = (await db.secret.count({ where: { id: signing.id } })) === 1;
    const { hookSecretId } = await db.environment.findUniqueOrThrow({ where: { id: p.production }, select: { hookSecretId: true } });
    expect({ kept, hookSecretId }).toEqual({ kept, hookSecretId: kept ? signing.id : null });
    expect(((kept ? deleted : chosen) as PromiseRejectedResult).reason).toMatchObject(
      kept
        ? { code: 'conflict', message: 'This secret signs the production deploy hook. Choose another signing secret first.' }
        : { code: 'validation_failed', message: MESSAGES.signingSecretMissing },
    );
    // Deployments still go out (a hook signed by a deleted secret fails every one).
    expect(await redeploy(p.id, p.production)).toMatchObject({ status: 'SUCCEEDED' });
  });

  it('members see where notifications go, not the URL path, and no secret list', async () => {
    const p = await newProject();
    const signing = await add(p, p.production, 'SIGNER', SIGNING_VALUE);
    await updateDeployHook(p.id, p.production, { url: receiver.url, signingSecretId: signing.id });
    signInAs(member);
    const production = (await deployHookSettings(p.id)).find((s) => s.environment.name === 'production')!;
    expect(production).toEqual({
      environment: { id: p.production, name: 'production' },
      url: null,
      origin: new URL(receiver.url).origin,
      signingSecret: { id: signing.id, key: 'SIGNER' },
      options: [],
      moreOptions: false,
    });
  });

  it('past 1,000 keys the select lists the first 1,000, and a search finds any key, for owners and admins only', async () => {
    const p = await newProject();
    const other = await newProject();
    // Rows only for the bulk (the search reads keys, never values); the signer is a real secret.
    const keys = Array.from({ length: 1005 }, (_, i) => `K_${String(i).padStart(4, '0')}`);
    await db.secret.createMany({
      data: keys.map((key) => ({ projectId: p.id, environmentId: p.production, key, keyFolded: key.toLowerCase(), type: 'OTHER', currentVersion: 1 })),
    });
    const signer = await add(p, p.production, 'ZZ_WEBHOOK_SIGNER', SIGNING_VALUE);

    const production = (await deployHookSettings(p.id)).find((s) => s.environment.name === 'production')!;
    expect(production.options).toHaveLength(1000);
    expect([production.options[0].key, production.options[999].key]).toEqual(['K_0000', 'K_0999']);
    expect(production.moreOptions).toBe(true);
    expect((await deployHookSettings(p.id)).find((s) => s.environment.name === 'staging')!.moreOptions).toBe(false);

    expect(await findSigningSecretsAction(p.id, p.production, 'webhook')).toEqual({
      ok: true,
      data: { options: [{ id: signer.id, key: 'ZZ_WEBHOOK_SIGNER' }], more: false },
    });
    const k1 = await findSigningSecretsAction(p.id, p.production, '  k_1 ');
    expect(k1.ok && k1.data.options.map((o) => o.key)).toEqual(['K_1000', 'K_1001', 'K_1002', 'K_1003', 'K_1004']);
    const all = await findSigningSecretsAction(p.id, p.production, 'K_');
    expect(all.ok && [all.data.options.length, all.data.more]).toEqual([1000, true]);
    expect(await findSigningSecretsAction(p.id, p.production, 'nothing-like-this')).toEqual({ ok: true, data: { options: [], more: false } });
    // `_` is a character, not a wildcard.
    const dbUrl = await add(p, p.staging, 'DB_URL', 'x');
    await add(p, p.staging, 'DBXURL', 'x');
    expect(await findSigningSecretsAction(p.id, p.staging, 'db_url')).toEqual({ ok: true, data: { options: [{ id: dbUrl.id, key: 'DB_URL' }], more: false } });

    // A found key signs the hook, and stays listed beside the first 1,000.
    expect(await updateDeployHookAction(p.id, p.production, { url: receiver.url, signingSecretId: signer.id })).toEqual({ ok: true, data: undefined });
    const saved = (await deployHookSettings(p.id)).find((s) => s.environment.name === 'production')!;
    expect(saved.options).toHaveLength(1001);
    expect(saved.options.at(-1)).toEqual({ id: signer.id, key: 'ZZ_WEBHOOK_SIGNER' });

    // Bad input, another project's environment, and members.
    expect(await findSigningSecretsAction(p.id, p.production, 'K'.repeat(257))).toMatchObject({ ok: false, code: 'validation_failed' });
    expect(await findSigningSecretsAction(p.id, other.production, 'K')).toMatchObject({ ok: false, code: 'not_found' });
    signInAs(member);
    expect(await findSigningSecretsAction(p.id, p.production, 'webhook')).toEqual({ ok: false, error: deniedMessage('manageDeployHooks'), code: 'forbidden' });
    signInAs(outsider);
    expect(await findSigningSecretsAction(p.id, p.production, 'webhook')).toMatchObject({ ok: false, code: 'forbidden' });
  });
});

describe('roles', () => {
  it('a member can see deployments and the overview but cannot redeploy, retry or change hooks, even with a forged call', async () => {
    const p = await newProject();
    await add(p, p.production, 'A', 'a');
    await updateDeployHook(p.id, p.production, { url: receiver.url, signingSecretId: '' });
    receiver.mode = 'fail';
    const failed = await redeploy(p.id, p.production);
    const before = {
      deployments: await db.deployment.findMany({ where: { projectId: p.id }, orderBy: { number: 'asc' } }),
      environment: await db.environment.findUniqueOrThrow({ where: { id: p.production } }),
    };
    receiver.mode = 'ok';
    receiver.received = [];

    signInAs(member);
    expect(await redeployAction(p.id, p.production)).toEqual({ ok: false, error: deniedMessage('redeploy'), code: 'forbidden' });
    expect(await previewRedeployAction(p.id, p.production)).toEqual({ ok: false, error: deniedMessage('redeploy'), code: 'forbidden' });
    expect(await retryDeploymentAction(p.id, failed.id)).toEqual({ ok: false, error: deniedMessage('redeploy'), code: 'forbidden' });
    expect(await updateDeployHookAction(p.id, p.production, { url: 'https://evil.example.test/', signingSecretId: '' })).toEqual({
      ok: false,
      error: deniedMessage('manageDeployHooks'),
      code: 'forbidden',
    });
    await expectAppError(redeploy(p.id, p.production), 'forbidden', deniedMessage('redeploy'));

    expect(await db.deployment.findMany({ where: { projectId: p.id }, orderBy: { number: 'asc' } })).toEqual(before.deployments);
    expect(await db.environment.findUniqueOrThrow({ where: { id: p.production } })).toEqual(before.environment);
    expect(receiver.received).toHaveLength(0);

    // Reading is allowed.
    expect((await listDeployments(p.id)).rows).toHaveLength(1);
    const overview = await projectDeployOverview(p.id);
    expect(overview.environments.map((e) => e.name)).toEqual(['development', 'staging', 'production']);
  });

  it('a non-member is refused everything, reading included', async () => {
    const p = await newProject();
    const { id } = await redeploy(p.id, p.production);
    signInAs(outsider);
    const denied = "You don't have access to this project.";
    expect(await redeployAction(p.id, p.production)).toEqual({ ok: false, error: denied, code: 'forbidden' });
    expect(await retryDeploymentAction(p.id, id)).toEqual({ ok: false, error: denied, code: 'forbidden' });
    await expectAppError(listDeployments(p.id), 'forbidden', denied);
    await expectAppError(projectDeployOverview(p.id), 'forbidden', denied);
    await expectAppError(deployHookSettings(p.id), 'forbidden', denied);
  });

  it('refuses an environment or a deployment of another project', async () => {
    const mine = await newProject();
    signInAs(outsider);
    const { slug } = await createProject({ name: 'Theirs' });
    const theirs = await db.project.findUniqueOrThrow({ where: { slug }, include: { environments: true } });
    const theirProduction = theirs.environments.find((e) => e.name === 'production')!.id;
    const theirDeployment = await redeploy(theirs.id, theirProduction);

    signInAs(admin);
    await expectAppError(redeploy(mine.id, theirProduction), 'not_found');
    await expectAppError(retryDeployment(mine.id, theirDeployment.id), 'not_found');
    await expectAppError(updateDeployHook(mine.id, theirProduction, { url: receiver.url, signingSecretId: '' }), 'not_found');
    await expectAppError(previewRedeploy(mine.id, theirProduction), 'not_found');
    expect(await db.deployment.count({ where: { environmentId: theirProduction } })).toBe(1);
  });

  it('an owner can redeploy too', async () => {
    const p = await newProject();
    signInAs(owner);
    expect(await redeployAction(p.id, p.production)).toMatchObject({ ok: true, data: { number: 1, status: 'SUCCEEDED' } });
  });
});

describe('the overview and the Deploys page data', () => {
  it('shows each environment state and the keys missing in an environment, without values', async () => {
    const p = await newProject();
    for (const env of [p.development, p.staging, p.production]) await add(p, env, 'SHARED', CANARY);
    await add(p, p.development, 'ONLY_DEV', CANARY);
    await add(p, p.staging, 'NOT_PROD', CANARY);
    await add(p, p.development, 'NOT_PROD', CANARY);
    await redeploy(p.id, p.staging);

    const overview = await projectDeployOverview(p.id);
    expect(overview.environments.map((e) => [e.name, e.secretCount, e.live?.number ?? null, e.pending, e.last?.status ?? null])).toEqual([
      ['development', 3, null, true, null],
      ['staging', 2, 1, false, 'SUCCEEDED'],
      ['production', 1, null, true, null],
    ]);
    expect(overview.matrix.rows).toEqual([
      { key: 'NOT_PROD', present: [true, true, false] },
      { key: 'ONLY_DEV', present: [true, false, false] },
      { key: 'SHARED', present: [true, true, true] },
    ]);
    expect(overview.matrix).toMatchObject({ totalKeys: 3, incompleteKeys: 2 });
    expect(JSON.stringify(overview)).not.toContain(CANARY);

    const page = await listDeployments(p.id);
    expect(page.rows).toHaveLength(1);
    expect(page.rows[0]).toMatchObject({
      number: 1,
      environment: 'staging',
      status: 'SUCCEEDED',
      triggeredBy: 'Admin',
      live: true,
      secretCount: 2,
      attempts: 1,
      changes: {
        added: [
          { key: 'NOT_PROD', rebuild: false },
          { key: 'SHARED', rebuild: false },
        ],
        changed: [],
        removed: [],
      },
    });
    expect(page.rows[0].durationMs).toBeGreaterThanOrEqual(0);
    expect(JSON.stringify(page)).not.toContain(CANARY);
  });

  it("shows the first 200 keys of the matrix, missing ones first, counts them all and leaves other projects' keys out", async () => {
    const p = await newProject();
    const other = await newProject();
    const environments = [p.development, p.staging, p.production];
    // Rows only (no values needed to read keys): 205 keys everywhere, 3 keys not everywhere.
    const row = (projectId: string, environmentId: string, key: string) => ({
      projectId,
      environmentId,
      key,
      keyFolded: key.toLowerCase(),
      type: 'OTHER',
      currentVersion: 1,
    });
    const everywhere = Array.from({ length: 205 }, (_, i) => `ALL_${String(i).padStart(3, '0')}`);
    await db.secret.createMany({
      data: [
        ...everywhere.flatMap((key) => environments.map((environmentId) => row(p.id, environmentId, key))),
        row(p.id, p.production, 'ZZ_ONLY_PROD'),
        row(p.id, p.development, 'A_NOT_PROD'),
        row(p.id, p.staging, 'A_NOT_PROD'),
        row(p.id, p.staging, 'B_ONLY_STAGING'),
        row(other.id, other.development, 'AA_OTHER_PROJECT'),
      ],
    });

    const { matrix } = await projectDeployOverview(p.id);
    expect(matrix.totalKeys).toBe(208);
    expect(matrix.incompleteKeys).toBe(3);
    expect(matrix.rows).toHaveLength(200);
    expect(matrix.rows.slice(0, 4)).toEqual([
      { key: 'A_NOT_PROD', present: [true, true, false] },
      { key: 'B_ONLY_STAGING', present: [false, true, false] },
      { key: 'ZZ_ONLY_PROD', present: [false, false, true] },
      { key: 'ALL_000', present: [true, true, true] },
    ]);
    expect(matrix.rows.at(-1)).toEqual({ key: 'ALL_196', present: [true, true, true] });

    const empty = await projectDeployOverview((await newProject()).id);
    expect(empty.matrix).toMatchObject({ rows: [], totalKeys: 0, incompleteKeys: 0 });
    expect(empty.environments.map((e) => e.secretCount)).toEqual([0, 0, 0]);
  });

  it('pages through deployments newest first', async () => {
    const p = await newProject();
    for (let i = 0; i < 5; i++) await redeploy(p.id, p.development);
    const first = await listDeployments(p.id, { limit: 2 });
    expect(first.rows.map((r) => r.number)).toEqual([5, 4]);
    const second = await listDeployments(p.id, { limit: 2, cursor: first.nextCursor });
    expect(second.rows.map((r) => r.number)).toEqual([3, 2]);
    const third = await listDeployments(p.id, { limit: 2, cursor: second.nextCursor });
    expect(third.rows.map((r) => r.number)).toEqual([1]);
    expect(third.nextCursor).toBeNull();
  });
});

describe('at rest and in records', () => {
  it('never writes a value into audit events, change summaries or the database file in plaintext', async () => {
    const p = await newProject();
    const s = await add(p, p.production, 'CANARY_KEY', CANARY);
    await redeploy(p.id, p.production);
    await updateSecret(p.id, s.id, { value: `${CANARY}-2`, description: '', type: 'OTHER', revision: 1 });
    await redeploy(p.id, p.production);
    const events = await db.auditEvent.findMany({ where: { projectId: p.id } });
    expect(events.some((e) => e.action === 'deploy.created')).toBe(true);
    expect(JSON.stringify(events)).not.toContain(CANARY);
    const deployments = await db.deployment.findMany({ where: { projectId: p.id }, select: { changes: true, error: true, snapshot: true } });
    for (const d of deployments) {
      expect(d.changes).not.toContain(CANARY);
      expect(Buffer.from(d.snapshot).includes(Buffer.from(CANARY))).toBe(false);
    }
    expect((await storedBytes()).some((bytes) => bytes.includes(Buffer.from(CANARY)))).toBe(false);
  });
});
