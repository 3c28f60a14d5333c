import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { APIRequestContext, APIResponse, Browser, Page } from '@playwright/test';
import pg from 'pg';
import { freePort, startCluster } from '../scripts/pg-cluster.mjs';
import { SERVER_ENV } from './env';
import {
  addSecret,
  bearer,
  confirmRedeploy,
  createFirstAccount,
  createInviteLink,
  createProject,
  createToken,
  expect,
  expectToast,
  joinWithInvite,
  openRedeploy,
  openSecrets,
  recordServerAction,
  redeploy,
  removeMember,
  replayServerAction,
  setMemberRole,
  signIn,
  SIGNED_OUT,
  suffix,
  test,
  TEXT,
  tokensUrl,
  type User,
} from './fixtures';

// Several instances on one PostgreSQL behave as one (issue 8, item 2), and an
// outage is survived (item 5). Runs only in the PostgreSQL e2e run. It starts
// its own throwaway cluster (so it can stop it) and two real server.ts
// processes on it, from the build the e2e web server made. Every change goes
// through instance A's HTTP interface (the browser, or a recorded server
// action replayed), and its effect is checked through instance B's.
//
// The caches' own time limits are set far beyond the test's waits (live
// deployment 60 s; tokens are 10 s), so B can only see a change in time
// through the cross-instance invalidation (LISTEN/NOTIFY), not by expiry.

const root = path.resolve(__dirname, '..');
const OWNER: User = { name: 'Ivy Instances', email: 'ivy@keyhold.test', password: 'e2e-Instances-passw0rd!' };
const MEMBER = { name: 'Milo Member', password: 'e2e-Milo-passw0rd!' };
const LOGIN_ATTEMPTS = 4;
const API_RATE_PER_TOKEN = 30;
/** How long B may take to see a change. Notifications take milliseconds; the margin is for a loaded 2-core machine. */
const SEEN_WITHIN = { timeout: 5_000, intervals: [50] };

type Instance = { url: string; process: ChildProcess; output: string[] };

let cluster: Awaited<ReturnType<typeof startCluster>>;
let A: Instance;
let B: Instance;

async function startInstance(databaseUrl: string): Promise<Instance> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, ['--import', 'tsx', 'server.ts'], {
    cwd: root,
    detached: true, // its own process group, stopped as one
    env: {
      ...process.env,
      ...SERVER_ENV,
      PORT: String(port),
      NEXTAUTH_URL: url,
      DATABASE_URL: databaseUrl,
      KEYHOLD_LOGIN_ATTEMPTS: String(LOGIN_ATTEMPTS),
      KEYHOLD_API_RATE_PER_TOKEN: String(API_RATE_PER_TOKEN),
      KEYHOLD_API_LIVE_TTL_MS: '60000',
      KEYHOLD_DB_POOL_SIZE: '4',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  child.stdout!.on('data', (d) => output.push(String(d)));
  child.stderr!.on('data', (d) => output.push(String(d)));
  const instance = { url, process: child, output };
  await expect
    .poll(async () => (await fetch(`${url}/api/health`).catch(() => null))?.status, { timeout: 60_000, message: `instance on ${url} starts` })
    .toBe(200);
  return instance;
}

function stopInstance(instance: Instance | undefined) {
  if (instance?.process.pid && instance.process.exitCode === null) process.kill(-instance.process.pid, 'SIGTERM');
}

test.describe.configure({ mode: 'serial' });
test.use({ storageState: SIGNED_OUT });

test.beforeAll(async () => {
  test.setTimeout(180_000);
  cluster = await startCluster();
  const databaseUrl = cluster.url('keyhold');
  const admin = new pg.Client({ connectionString: cluster.url() });
  await admin.connect();
  await admin.query('CREATE DATABASE keyhold');
  await admin.end();
  const migrated = spawnSync(process.execPath, ['scripts/migrate.mjs', 'apply'], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: databaseUrl },
    encoding: 'utf8',
  });
  expect(migrated.status, migrated.stderr).toBe(0);
  [A, B] = await Promise.all([startInstance(databaseUrl), startInstance(databaseUrl)]);
});

test.afterAll(() => {
  stopInstance(A);
  stopInstance(B);
  cluster?.destroy();
});

/** A page (and its request context) signed in as OWNER on A; the cookie works on B too (same secret, same host). */
async function ownerOnA(browser: Browser): Promise<Page> {
  const page = await (await browser.newContext({ baseURL: A.url, storageState: SIGNED_OUT })).newPage();
  await signIn(page, OWNER);
  return page;
}

const getSecrets = (request: APIRequestContext, instance: Instance, token: string) => request.get(`${instance.url}/api/v1/secrets`, { headers: bearer(token) });

async function errorCode(response: APIResponse): Promise<string> {
  return (await response.json()).error.code;
}

let slug = '';
let readToken = '';
let writeToken = '';
let limitedToken = '';

test('the first account, a project with a deployed secret and two tokens, all made through A', async ({ browser }) => {
  test.slow();
  const page = await (await browser.newContext({ baseURL: A.url, storageState: SIGNED_OUT })).newPage();
  await createFirstAccount(page, OWNER);
  ({ slug } = await createProject(page, `Instances ${suffix()}`));
  await openSecrets(page, slug, 'production');
  await addSecret(page, { key: 'SHARED_VALUE', value: 'first' });
  await redeploy(page);
  await page.goto(tokensUrl(slug));
  readToken = await createToken(page, `read-${suffix()}`);
  await page.goto(tokensUrl(slug));
  writeToken = await createToken(page, `write-${suffix()}`, { scope: 'Read and write' });
  await page.goto(tokensUrl(slug));
  limitedToken = await createToken(page, `limited-${suffix()}`, { scope: 'Read and write' });
  // Both instances have served the API once (their shared rate-limit store is set up).
  for (const instance of [A, B]) expect((await getSecrets(page.request, instance, readToken)).status()).toBe(200);
});

test('a deployment made through A is served by B, which had the previous one cached', async ({ browser, request }) => {
  const page = await ownerOnA(browser);
  const before = await getSecrets(request, B, readToken);
  expect(await before.json()).toEqual({ secrets: { SHARED_VALUE: 'first' } });

  await openSecrets(page, slug, 'production');
  await addSecret(page, { key: 'ADDED_ON_A', value: 'second' });
  await redeploy(page);

  await expect
    .poll(async () => (await (await getSecrets(request, B, readToken)).json()).secrets, SEEN_WITHIN)
    .toEqual({ SHARED_VALUE: 'first', ADDED_ON_A: 'second' });
});

test('a token revoked through A is refused by B, which had it cached', async ({ browser, request }) => {
  const page = await ownerOnA(browser);
  await page.goto(tokensUrl(slug));
  const name = `revoked-${suffix()}`;
  const token = await createToken(page, name);
  expect((await getSecrets(request, B, token)).status()).toBe(200);

  await page.goto(tokensUrl(slug));
  await page.getByRole('button', { name: `Revoke ${name}`, exact: true }).click();
  await page.getByRole('alertdialog').or(page.getByRole('dialog')).getByRole('button', { name: 'Revoke token' }).click();
  await expectToast(page, `Token ${name} revoked`);

  await expect.poll(async () => (await getSecrets(request, B, token)).status(), SEEN_WITHIN).toBe(401);
  expect(await errorCode(await getSecrets(request, B, token))).toBe('token_revoked');
});

test('sign out everywhere through A ends the session on B', async ({ browser }) => {
  const laptop = await ownerOnA(browser);
  const phone = await (await browser.newContext({ baseURL: B.url, storageState: SIGNED_OUT })).newPage();
  await signIn(phone, OWNER);
  await phone.goto(`/projects/${slug}`);
  await expect(phone).toHaveURL(new RegExp(`/projects/${slug}`));

  await laptop.getByRole('button', { name: 'Account' }).click();
  await laptop.getByRole('menuitem', { name: 'Sign out everywhere' }).click();
  await expect(laptop).toHaveURL(/\/login/);

  await phone.goto(`/projects/${slug}`);
  await expect(phone).toHaveURL(/\/login/);
});

test('a role change and a removal through A take effect on B', async ({ browser }) => {
  test.slow();
  const owner = await ownerOnA(browser);
  const email = `milo-${suffix()}@keyhold.test`;
  const link = await createInviteLink(owner, slug, email, 'Member');
  const memberContext = await browser.newContext({ baseURL: A.url, storageState: SIGNED_OUT });
  const member = await memberContext.newPage();
  await joinWithInvite(member, link, MEMBER, slug);

  const secretsOnB = `${B.url}/projects/${slug}/settings/secrets?env=production`;
  await member.goto(secretsOnB);
  await expect(member.getByText(TEXT.noSecretsPermission)).toBeVisible();

  await setMemberRole(owner, slug, email, 'Admin');
  await member.goto(secretsOnB);
  await expect(member.getByRole('heading', { name: 'Secrets', exact: true })).toBeVisible();
  await expect(member.getByText(TEXT.noSecretsPermission)).toHaveCount(0);

  await removeMember(owner, slug, email);
  const response = await member.goto(`${B.url}/projects/${slug}`);
  expect(response?.status()).toBe(404);
});

test('sign-in throttling is shared: attempts through A and B add up', async ({ request }) => {
  const email = `nobody-${suffix()}@keyhold.test`;
  const attempt = async (instance: Instance) => {
    const { csrfToken } = await (await request.get(`${instance.url}/api/auth/csrf`)).json();
    const response = await request.post(`${instance.url}/api/auth/callback/credentials`, {
      form: { csrfToken, email, password: 'wrong-password-1', json: 'true' },
      maxRedirects: 0,
    });
    return new URL((await response.json()).url).searchParams.get('error');
  };
  for (let i = 0; i < LOGIN_ATTEMPTS; i++) expect(await attempt(i % 2 ? B : A)).toBe('CredentialsSignin');
  // Each instance saw only half of the attempts: alone, neither would refuse yet.
  expect(await attempt(A)).toBe('TooManyAttempts');
  expect(await attempt(B)).toBe('TooManyAttempts');
});

test('API rate limits are shared: a token gets its limit once across A and B', async ({ request }) => {
  const statuses: number[] = [];
  for (let i = 0; i < API_RATE_PER_TOKEN + 2; i++) {
    statuses.push((await request.get(`${(i % 2 ? B : A).url}/api/v1/secrets/info`, { headers: bearer(limitedToken) })).status());
  }
  // Alone, each instance would have allowed all of its half.
  expect(statuses).toEqual([...Array(API_RATE_PER_TOKEN).fill(200), 429, 429]);
});

test('concurrent creates, edits and redeploys through A and B lose nothing and answer 409, never 500', async ({ browser, request }) => {
  test.slow();
  const through = (i: number) => (i % 2 ? B : A).url;
  const post = (i: number, name: string, value: string) => request.post(`${through(i)}/api/v1/secrets`, { headers: bearer(writeToken), data: { name, value } });

  const distinct = await Promise.all([...Array(10).keys()].map((i) => post(i, `PARALLEL_${i}`, `value ${i}`)));
  expect(distinct.map((r) => r.status())).toEqual(Array(10).fill(201));

  const same = await Promise.all([...Array(8).keys()].map((i) => post(i, 'ONLY_ONCE', `value ${i}`)));
  expect(same.map((r) => r.status()).sort()).toEqual([201, ...Array(7).fill(409)]);
  for (const response of same.filter((r) => r.status() === 409)) expect(await errorCode(response)).toBe('conflict');

  const { id } = await distinct[0].json();
  const edits = await Promise.all(
    [...Array(8).keys()].map((i) => request.patch(`${through(i)}/api/v1/secrets/${id}`, { headers: bearer(writeToken), data: { value: `edit ${i}` } })),
  );
  const editStatuses = edits.map((r) => r.status());
  expect(
    editStatuses.every((s) => s === 200 || s === 409),
    editStatuses.join(),
  ).toBe(true);
  const saved = editStatuses.filter((s) => s === 200).length;
  expect(saved).toBeGreaterThan(0);

  const info = await (await request.get(`${A.url}/api/v1/secrets/info`, { headers: bearer(writeToken) })).json();
  const names = info.secrets.map((s: { name: string }) => s.name);
  for (let i = 0; i < 10; i++) expect(names).toContain(`PARALLEL_${i}`);
  expect(names.filter((n: string) => n === 'ONLY_ONCE')).toHaveLength(1);

  // Redeploy through the UI once, recording its server action; then replay it through A and B at once.
  const page = await ownerOnA(browser);
  await openSecrets(page, slug, 'production');
  const diff = await openRedeploy(page);
  const action = await recordServerAction(page, '', () => confirmRedeploy(page, diff));
  const replays = await Promise.all(
    [...Array(6).keys()].map((i) => replayServerAction(page.request, { ...action, url: action.url.replace(A.url, through(i)) }, '', through(i))),
  );
  expect(replays.map((r) => r.status())).toEqual(Array(6).fill(200));

  const db = new pg.Client({ connectionString: cluster.url('keyhold') });
  await db.connect();
  try {
    const versions = await db.query('SELECT version FROM "SecretVersion" WHERE "secretId" = $1 ORDER BY version', [id]);
    expect(versions.rows.map((r) => r.version)).toEqual([...Array(1 + saved).keys()].map((v) => v + 1));
    const deployments = await db.query(
      `SELECT d.number, d.status FROM "Deployment" d JOIN "Environment" e ON e.id = d."environmentId"
       JOIN "Project" p ON p.id = e."projectId" WHERE p.slug = $1 AND e.name = 'production' ORDER BY d.number`,
      [slug],
    );
    const numbers = deployments.rows.map((r) => r.number);
    expect(numbers).toEqual([...Array(numbers.length).keys()].map((n) => n + 1));
    expect(numbers.length).toBeGreaterThanOrEqual(2 + 1 + 6);
    await expect.poll(async () => (await db.query(`SELECT count(*)::int AS n FROM "Deployment" WHERE status <> 'SUCCEEDED'`)).rows[0].n).toBe(0);
  } finally {
    await db.end();
  }
  // Both instances serve the newest deployment.
  for (const instance of [A, B]) {
    await expect.poll(async () => Object.keys((await (await getSecrets(request, instance, readToken)).json()).secrets).length, SEEN_WITHIN).toBe(2 + 10 + 1);
  }
});

test('an outage: 503 database_unavailable, cached reads still served, pages say so, recovery by itself', async ({ browser, request }) => {
  test.slow();
  const page = await ownerOnA(browser);
  const cached = await getSecrets(request, A, readToken);
  expect(cached.status()).toBe(200);
  const served = await cached.json();
  expect((await request.get(`${A.url}/api/ready`)).status()).toBe(200);

  cluster.stop();
  try {
    expect((await request.get(`${A.url}/api/health`)).status()).toBe(200);
    const ready = await request.get(`${A.url}/api/ready`);
    expect(ready.status()).toBe(503);
    expect(await errorCode(ready)).toBe('database_unavailable');

    const read = await getSecrets(request, A, readToken);
    expect(read.status()).toBe(200);
    expect(await read.json()).toEqual(served);

    const write = await request.post(`${A.url}/api/v1/secrets`, { headers: bearer(writeToken), data: { name: 'DURING_OUTAGE', value: 'x' } });
    expect(write.status()).toBe(503);
    expect(await errorCode(write)).toBe('database_unavailable');
    const info = await request.get(`${A.url}/api/v1/secrets/info`, { headers: bearer(writeToken) });
    expect(info.status()).toBe(503);

    await page.goto(`/projects/${slug}`);
    await expect(page.getByRole('heading', { name: 'This page could not be loaded' })).toBeVisible();
    expect(await page.content()).not.toMatch(/127\.0\.0\.1:\d+|postgres/i);
  } finally {
    cluster.start();
  }

  await expect.poll(async () => (await request.get(`${A.url}/api/ready`)).status(), { timeout: 30_000 }).toBe(200);
  await expect
    .poll(async () => (await request.post(`${B.url}/api/v1/secrets`, { headers: bearer(writeToken), data: { name: 'AFTER_OUTAGE', value: 'y' } })).status(), {
      timeout: 30_000,
    })
    .toBe(201);
  const names = (await (await request.get(`${A.url}/api/v1/secrets/info`, { headers: bearer(writeToken) })).json()).secrets.map(
    (s: { name: string }) => s.name,
  );
  expect(names).toContain('AFTER_OUTAGE');
  expect(names).not.toContain('DURING_OUTAGE'); // nothing half-written

  // Cross-instance invalidation is back too: a deployment through A reaches B.
  await openSecrets(page, slug, 'production');
  await redeploy(page);
  await expect.poll(async () => (await (await getSecrets(request, B, readToken)).json()).secrets.AFTER_OUTAGE, SEEN_WITHIN).toBe('y');
});
