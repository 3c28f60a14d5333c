// The `keyhold` CLI against a real Keyhold API: the /api/v1 handler server.ts
// mounts, on 127.0.0.1, over a migrated SQLite database with sealed
// deployments and hashed service tokens (tests/support/cli-server.ts).
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import dotenv from 'dotenv';
import selfsigned from 'selfsigned';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDotenv } from '../cli/dotenv.mjs';
import { createClient } from '../client/index.mjs';
import { decryptValue } from '@/lib/crypto/envelope';
import { db } from '@/lib/db';
import { projectKeys } from '@/lib/projects/keys';
import { migrateTestDatabase } from './support/db';
import { AWKWARD } from './support/cli-fixtures';
import { runCli } from './support/cli-run';
import { deploySecrets, makeToken, seedProject, startApiServer, type ApiServer, type SeededProject } from './support/cli-server';

const CANARY = `canary-${randomUUID()}`;
const RUN_SECRETS: Array<[string, string]> = [
  ['STRIPE_API_KEY', `sk_live_${CANARY}`],
  ['MULTILINE_PEM', '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBg\n-----END PRIVATE KEY-----\n'],
  ['UNICODE', 'héllo wörld ✓ 🎉'],
  ['SPACES', '  padded  '],
  ['PRESET', 'from keyhold'],
  ['__proto__', 'proto value'],
  ['constructor', 'constructor value'],
];

let api: ApiServer;
let a: SeededProject; // production: RUN_SECRETS · staging: import target · development: never deployed
let b: SeededProject; // production: every awkward value (pull, export)
const tokens = {} as Record<'read' | 'readWrite' | 'stagingRead' | 'revoked' | 'expired' | 'undeployed' | 'awkward', string>;
let tmp: string;

/** The value of a secret in the working set, decrypted like the app does. */
async function workingValue(projectId: string, environmentId: string, key: string) {
  const secret = await db.secret.findFirst({ where: { projectId, environmentId, key }, include: { versions: true } });
  if (!secret) return undefined;
  const keys = await projectKeys(projectId);
  const version = secret.versions.find((v) => v.version === secret.currentVersion)!;
  return { value: decryptValue(keys.keyFor, version.blob, secret.id, version.version), versions: secret.versions.length };
}

const env = (token: string, extra: Record<string, string | undefined> = {}) => ({ KEYHOLD_URL: api.url, KEYHOLD_TOKEN: token, ...extra });

/** One line on stderr, nothing on stdout, no value anywhere. */
function expectOneErrorLine(result: { code: number | null; stdout: string; stderr: string }, code: number, line: string) {
  expect({ code: result.code, stdout: result.stdout, stderr: result.stderr }).toEqual({ code, stdout: '', stderr: `keyhold: ${line}\n` });
}

beforeAll(async () => {
  await migrateTestDatabase();
  [a, b] = await Promise.all([seedProject('CLI run'), seedProject('CLI pull')]);
  await deploySecrets(a.projectId, a.environments.production, RUN_SECRETS);
  await deploySecrets(b.projectId, b.environments.production, AWKWARD);
  tokens.read = await makeToken(a.projectId, a.environments.production, { scope: 'read' });
  tokens.readWrite = await makeToken(a.projectId, a.environments.staging, { scope: 'read-write' });
  tokens.stagingRead = await makeToken(a.projectId, a.environments.staging, { scope: 'read' });
  tokens.revoked = await makeToken(a.projectId, a.environments.production, { revokedAt: new Date(Date.now() - 60_000) });
  tokens.expired = await makeToken(a.projectId, a.environments.production, { expiresAt: new Date(Date.now() - 60_000) });
  tokens.undeployed = await makeToken(a.projectId, a.environments.development);
  tokens.awkward = await makeToken(b.projectId, b.environments.production);
  api = await startApiServer();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'keyhold-cli-'));
});

afterAll(async () => {
  await api?.close();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

describe('keyhold run', () => {
  const PRINT_ENV = `
    const wanted = JSON.parse(process.argv[1]);
    const seen = Object.fromEntries(Object.entries(process.env).filter(([k]) => wanted.includes(k)));
    process.stdout.write(JSON.stringify({ seen, token: process.env.KEYHOLD_TOKEN ?? null, home: process.env.HOME ?? null }));
    process.exit(Number(process.argv[2]));`;
  const keys = JSON.stringify(RUN_SECRETS.map(([k]) => k));

  it('starts the command with the deployed secrets, passes its exit code through and prints no value itself', async () => {
    for (const exit of ['0', '7']) {
      const result = await runCli(['run', '--', process.execPath, '-e', PRINT_ENV, keys, exit], { env: env(tokens.read, { PRESET: 'from the shell' }) });
      expect(result.stderr).toBe('');
      expect(result.code).toBe(Number(exit));
      const child = JSON.parse(result.stdout);
      expect(Object.entries(child.seen).sort()).toEqual([...RUN_SECRETS].sort()); // secrets win over PRESET from the shell
      expect(child.token).toBeNull(); // KEYHOLD_TOKEN is not passed on
      expect(child.home).toBe(process.env.HOME ?? null); // the rest of the environment is
    }
  });

  it('reaches a Keyhold served over HTTPS, and refuses one whose certificate it does not trust', async () => {
    const pems = await selfsigned.generate([{ name: 'commonName', value: '127.0.0.1' }], {
      keyType: 'ec',
      algorithm: 'sha256',
      extensions: [{ name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] }],
    });
    const cert = path.join(tmp, 'keyhold-test-ca.pem');
    fs.writeFileSync(cert, pems.cert);
    const tlsApi = await startApiServer({ tls: { key: Buffer.from(pems.private), cert: Buffer.from(pems.cert) } });
    try {
      const trusted = await runCli(['run', '--', process.execPath, '-e', PRINT_ENV, keys, '0'], {
        env: env(tokens.read, { KEYHOLD_URL: tlsApi.url, NODE_EXTRA_CA_CERTS: cert }),
      });
      expect(trusted).toMatchObject({ code: 0, stderr: '' });
      expect(Object.entries(JSON.parse(trusted.stdout).seen).sort()).toEqual([...RUN_SECRETS].sort());

      const untrusted = await runCli(['run', '--', 'true'], { env: env(tokens.read, { KEYHOLD_URL: tlsApi.url }) });
      expectOneErrorLine(
        untrusted,
        3,
        `cannot reach ${tlsApi.url} (DEPTH_ZERO_SELF_SIGNED_CERT). Check KEYHOLD_URL; if your own CA signed the server's certificate, export NODE_EXTRA_CA_CERTS=/path/to/ca.pem.`,
      );
    } finally {
      await tlsApi.close();
    }
  });

  it('checks --env against the environment the token reads', async () => {
    const right = await runCli(['run', '--env', 'production', '--', process.execPath, '-e', 'process.exit(0)'], { env: env(tokens.read) });
    expect(right).toMatchObject({ code: 0, stderr: '' });
    const wrong = await runCli(['run', '--env', 'staging', '--', process.execPath, '-e', 'process.exit(0)'], { env: env(tokens.read) });
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toBe('keyhold: this token reads production, not staging: use a staging token (Settings → Tokens).\n');
  });

  it('passes KEYHOLD_TOKEN on with --keep-token, and takes the command without --', async () => {
    const result = await runCli(['run', '--keep-token', process.execPath, '-e', PRINT_ENV, '[]', '0'], { env: env(tokens.read) });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).token).toBe(tokens.read);
  });

  it('forwards SIGTERM to the command and exits with its code', async () => {
    const script = `process.on('SIGTERM', () => { process.stdout.write('got SIGTERM'); process.exit(42); });
      process.stdout.write('ready\\n'); setInterval(() => {}, 1000);`;
    const result = await runCli(['run', '--', process.execPath, '-e', script], {
      env: env(tokens.read),
      onSpawn: (cli) => {
        cli.stdout!.on('data', (chunk: Buffer | string) => {
          if (String(chunk).includes('ready')) cli.kill('SIGTERM');
        });
      },
    });
    expect(result).toMatchObject({ code: 42, signal: null });
    expect(result.stdout).toContain('got SIGTERM');
  });

  it('dies of the same signal as the command, or exits 128+n', async () => {
    const term = await runCli(['run', '--', process.execPath, '-e', "process.kill(process.pid, 'SIGTERM')"], { env: env(tokens.read) });
    expect(term).toMatchObject({ code: null, signal: 'SIGTERM', stderr: '' });
    const kill = await runCli(['run', '--', process.execPath, '-e', "process.kill(process.pid, 'SIGKILL')"], { env: env(tokens.read) });
    expect(kill).toMatchObject({ code: null, signal: 'SIGKILL' });
    const usr1 = await runCli(['run', '--', 'sh', '-c', 'kill -USR1 $$'], { env: env(tokens.read) });
    expect(usr1).toMatchObject({ code: 128 + os.constants.signals.SIGUSR1, signal: null });
  });

  it('exits 127 when the command does not exist', async () => {
    const result = await runCli(['run', '--', 'keyhold-test-no-such-command'], { env: env(tokens.read) });
    expectOneErrorLine(result, 127, 'command not found: keyhold-test-no-such-command');
  });

  it('explains an environment too large for the system (E2BIG) instead of crashing', async () => {
    const big = await seedProject('CLI big');
    await deploySecrets(
      big.projectId,
      big.environments.production,
      Array.from({ length: 48 }, (_, i): [string, string] => [`BIG_${i}`, 'x'.repeat(64 * 1024)]),
    );
    const token = await makeToken(big.projectId, big.environments.production);
    expectOneErrorLine(
      await runCli(['run', '--', 'true'], { env: env(token) }),
      126,
      'cannot start true: the environment is too large for the system (E2BIG); read large values with keyhold pull or keyhold/client instead',
    );
  });

  it('falls back to a .env file only when the API cannot be reached', async () => {
    const fallback = path.join(tmp, 'fallback.env');
    fs.writeFileSync(fallback, 'STRIPE_API_KEY=from-the-file\n');
    const closed = await (async () => {
      const { createServer } = await import('node:net');
      const probe = createServer();
      await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
      const port = (probe.address() as { port: number }).port;
      await new Promise<void>((resolve) => probe.close(() => resolve()));
      return `http://127.0.0.1:${port}`;
    })();
    const script = `process.stdout.write(process.env.STRIPE_API_KEY)`;

    const used = await runCli(['run', `--env-file-fallback=${fallback}`, '--', process.execPath, '-e', script], {
      env: env(tokens.read, { KEYHOLD_URL: closed }),
    });
    expect(used.code).toBe(0);
    expect(used.stdout).toBe('from-the-file');
    expect(used.stderr).toBe(`keyhold: warning: cannot reach ${closed} (ECONNREFUSED); starting with ${fallback} instead of the deployed secrets.\n`);

    const without = await runCli(['run', '--', process.execPath, '-e', script], { env: env(tokens.read, { KEYHOLD_URL: closed }) });
    expectOneErrorLine(without, 3, `cannot reach ${closed} (ECONNREFUSED). Check KEYHOLD_URL and that the server is running.`);

    // An auth error is not "unreachable": no fallback.
    const revoked = await runCli(['run', `--env-file-fallback=${fallback}`, '--', process.execPath, '-e', script], { env: env(tokens.revoked) });
    expectOneErrorLine(revoked, 2, 'the token was revoked (token_revoked). Create a new one in Settings → Tokens.');

    // A proxy in front of a Keyhold that is down: 503 without a Keyhold error body.
    const { createServer } = await import('node:http');
    const gateway = createServer((_req, res) => {
      res.writeHead(503, { 'content-type': 'text/html' });
      res.end('<h1>503 Service Unavailable</h1>');
    });
    await new Promise<void>((resolve) => gateway.listen(0, '127.0.0.1', resolve));
    try {
      const gatewayUrl = `http://127.0.0.1:${(gateway.address() as { port: number }).port}`;
      const viaGateway = await runCli(['run', `--env-file-fallback=${fallback}`, '--', process.execPath, '-e', script], {
        env: env(tokens.read, { KEYHOLD_URL: gatewayUrl }),
      });
      expect(viaGateway).toMatchObject({ code: 0, stdout: 'from-the-file' });
      expect(viaGateway.stderr).toBe(
        `keyhold: warning: GET /secrets answered HTTP 503 without a Keyhold error body; is the URL a Keyhold server? (bad_response); starting with ${fallback} instead of the deployed secrets.\n`,
      );
    } finally {
      gateway.closeAllConnections();
      await new Promise<void>((resolve) => gateway.close(() => resolve()));
    }

    const missingFile = await runCli(['run', '--env-file-fallback=/nonexistent/.env', '--', 'true'], { env: env(tokens.read, { KEYHOLD_URL: closed }) });
    expectOneErrorLine(missingFile, 3, `cannot reach ${closed} (ECONNREFUSED), and the fallback file /nonexistent/.env cannot be read (ENOENT).`);
  });
});

describe('one line per API error', () => {
  it.each([
    [
      'an unknown token',
      () => `kh_${'x'.repeat(43)}`,
      'the token is not valid for this server (invalid_token). Check KEYHOLD_TOKEN and KEYHOLD_URL; tokens start with kh_.',
    ],
    ['a revoked token', () => tokens.revoked, 'the token was revoked (token_revoked). Create a new one in Settings → Tokens.'],
    ['an expired token', () => tokens.expired, 'the token has expired (token_expired). Create a new one in Settings → Tokens.'],
    [
      'an environment without a deployment',
      () => tokens.undeployed,
      "the token's environment has no successful deployment yet (not_deployed). Deploy it in Keyhold first.",
    ],
  ])('%s (run, pull, export)', async (_, token, line) => {
    for (const args of [['run', '--', 'true'], ['pull', '--out', path.join(tmp, 'never-written.env')], ['export']]) {
      expectOneErrorLine(await runCli(args, { env: env(token()) }), 2, line);
    }
    expect(fs.existsSync(path.join(tmp, 'never-written.env'))).toBe(false);
  });

  it('403: import with a read-only token', async () => {
    const file = path.join(tmp, 'scope.env');
    fs.writeFileSync(file, 'SCOPE_TEST=x\n');
    expectOneErrorLine(
      await runCli(['import', file], { env: env(tokens.stagingRead) }),
      2,
      'this token is read-only (insufficient_scope): keyhold import needs a read-write token. Create one in Settings → Tokens.',
    );
    expect(await db.secret.count({ where: { key: 'SCOPE_TEST' } })).toBe(0);
  });

  it('exits 1 without a URL or token, before any request', async () => {
    expectOneErrorLine(
      await runCli(['run', '--', 'true'], { env: { KEYHOLD_URL: api.url } }),
      1,
      'KEYHOLD_TOKEN is not set: create a service token in Settings → Tokens and export KEYHOLD_TOKEN=kh_… (or pass --token).',
    );
    expectOneErrorLine(
      await runCli(['export'], { env: { KEYHOLD_TOKEN: tokens.read } }),
      1,
      'KEYHOLD_URL is not set: export KEYHOLD_URL=https://your-keyhold.example (or pass --url).',
    );
    // Flags work instead of the variables.
    const flags = await runCli(['export', '--format', 'json', '--url', api.url, '--token', tokens.read]);
    expect(flags.code).toBe(0);
  });
});

describe('keyhold pull and export', () => {
  const deployed = new Map(AWKWARD);

  it('pull → dotenv.parse gives back every awkward value, in a 0600 file', async () => {
    const out = path.join(tmp, 'pulled.env');
    const result = await runCli(['pull', '--out', out], { env: env(tokens.awkward), cwd: tmp });
    expect(result).toMatchObject({ code: 0, stderr: '', stdout: `Wrote ${AWKWARD.length} secrets from deployment 1 to ${out} (mode 0600).\n` });
    expect(fs.statSync(out).mode & 0o777).toBe(0o600);
    const text = fs.readFileSync(out, 'utf8');
    // What any app using dotenv sees (its plain {} cannot hold __proto__) ...
    const parsed = dotenv.parse(text);
    expect(parsed).toEqual(Object.fromEntries(AWKWARD.filter(([k]) => k !== '__proto__')));
    // ... and everything, __proto__ included, by both dotenv parsers.
    expect(parseDotenv(text)).toEqual(deployed);
    expect(parseDotenv(text, { fast: true })).toEqual(deployed);
    expect(result.stdout).not.toContain(AWKWARD[0][1]);
  });

  it('leaves an edited file alone unless --force, and replaces an untouched one', async () => {
    const dir = fs.mkdtempSync(path.join(tmp, 'pull-'));
    const out = path.join(dir, '.env');
    const pull = (...extra: string[]) => runCli(['pull', ...extra], { env: env(tokens.awkward), cwd: dir });

    expect((await pull()).code).toBe(0);
    const first = fs.readFileSync(out, 'utf8');
    expect(await pull()).toMatchObject({ code: 0, stdout: `.env is up to date (${AWKWARD.length} secrets from deployment 1).\n` });

    fs.appendFileSync(out, 'LOCAL_ONLY=1\n');
    const refused = await pull();
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe('keyhold: .env exists and has local changes (only in the file: LOCAL_ONLY); not overwritten. Pass --force to replace it.\n');
    expect(fs.readFileSync(out, 'utf8')).toBe(`${first}LOCAL_ONLY=1\n`);

    expect((await pull('--force')).code).toBe(0);
    expect(fs.readFileSync(out, 'utf8')).toBe(first);

    // A new deployment replaces a file nobody edited, without --force.
    await deploySecrets(b.projectId, b.environments.production, [...AWKWARD, ['ADDED_LATER', 'new']]);
    const updated = await pull();
    expect(updated).toMatchObject({ code: 0, stdout: `Wrote ${AWKWARD.length + 1} secrets from deployment 2 to .env (mode 0600).\n` });
    expect(dotenv.parse(fs.readFileSync(out, 'utf8')).ADDED_LATER).toBe('new');

    // A file keyhold did not write is never replaced silently.
    fs.writeFileSync(out, 'PLAIN=hand-written\n');
    const foreign = await pull();
    expect(foreign.code).toBe(1);
    expect(foreign.stderr).toMatch(
      /^keyhold: \.env exists and has local changes \(different values: PLAIN; not in the file: .*\); not overwritten\. Pass --force to replace it\.\n$/,
    );
    expect(foreign.stderr).not.toContain('hand-written');
  });

  it('warns when the file is not ignored by git, and says nothing outside a repository', async () => {
    const repo = fs.mkdtempSync(path.join(tmp, 'repo-'));
    spawnSync('git', ['init', '-q', repo]);
    const inRepo = await runCli(['pull'], { env: env(tokens.awkward), cwd: repo });
    expect(inRepo.code).toBe(0);
    expect(inRepo.stderr).toBe('keyhold: warning: .env is not ignored by git; add it to .gitignore so these secrets are never committed.\n');

    fs.writeFileSync(path.join(repo, '.gitignore'), '.env\n');
    fs.rmSync(path.join(repo, '.env'));
    expect(await runCli(['pull'], { env: env(tokens.awkward), cwd: repo })).toMatchObject({ code: 0, stderr: '' });

    const plain = fs.mkdtempSync(path.join(os.tmpdir(), 'keyhold-no-git-'));
    try {
      expect(await runCli(['pull'], { env: env(tokens.awkward), cwd: plain })).toMatchObject({ code: 0, stderr: '' });
    } finally {
      fs.rmSync(plain, { recursive: true, force: true });
    }
  });

  it('pull and export refuse a secret named __proto__ (dotenv drops it), naming it and why, and write nothing', async () => {
    await deploySecrets(b.projectId, b.environments.staging, [
      ['__proto__', 'proto value'],
      ['constructor', 'c'],
      ['toString', 't'],
    ]);
    const proto = { env: env(await makeToken(b.projectId, b.environments.staging)) };
    const line =
      'keyhold: cannot write this secret to a .env file that dotenv reads back identically: __proto__ (dotenv drops a key with this name). Use keyhold run, or export --format json.\n';
    const dir = fs.mkdtempSync(path.join(tmp, 'proto-'));
    expect(await runCli(['pull'], { ...proto, cwd: dir })).toMatchObject({ code: 1, stdout: '', stderr: line });
    expect(fs.existsSync(path.join(dir, '.env'))).toBe(false);
    expect(await runCli(['export'], proto)).toMatchObject({ code: 1, stdout: '', stderr: line });
    const asJson = await runCli(['export', '--format', 'json'], proto);
    expect(Object.keys(JSON.parse(asJson.stdout)).sort()).toEqual(['__proto__', 'constructor', 'toString']);
  });

  it('export prints the deployed environment as .env or JSON', async () => {
    const current = new Map([...AWKWARD, ['ADDED_LATER', 'new']]);
    const asEnv = await runCli(['export'], { env: env(tokens.awkward) });
    expect(asEnv.code).toBe(0);
    expect(parseDotenv(asEnv.stdout)).toEqual(current);
    const asJson = await runCli(['export', '--format', 'json'], { env: env(tokens.awkward) });
    expect(asJson.code).toBe(0);
    expect(new Map(Object.entries(JSON.parse(asJson.stdout)))).toEqual(current);
  });
});

describe('keyhold import', () => {
  const dir = () => fs.mkdtempSync(path.join(tmp, 'import-'));

  beforeAll(async () => {
    // The working set (what the server compares with): EXISTING_* exist in staging.
    const keyhold = createClient({ url: api.url, token: tokens.readWrite });
    await keyhold.createSecret({ name: 'EXISTING_SAME', value: 'same' });
    await keyhold.createSecret({ name: 'EXISTING_CHANGED', value: 'old' });
    await keyhold.createSecret({ name: 'EXISTING_OTHER', value: 'other' });
  });

  const VTEX = [
    '# vtex.env: same syntax as .env',
    'EXISTING_SAME=same',
    'EXISTING_CHANGED=new',
    "BRAND_NEW='multi",
    "line'",
    '1INVALID=x',
    'KEYHOLD_SECRET=x',
    'EMPTY=',
    'existing_other=case clash',
    'TWICE=a',
    'TWICE=b',
    '',
  ].join('\n');

  it("--plan prints the server's preview (New, Changed, Unchanged, Invalid with rule and line, Duplicate in file with lines) and writes nothing; applying skips changed keys", async () => {
    const file = path.join(dir(), 'vtex.env');
    fs.writeFileSync(file, VTEX);
    const staging = a.environments.staging;

    const plan = await runCli(['import', file, '--plan'], { env: env(tokens.readWrite) });
    expect(plan.code).toBe(1); // the file has invalid and duplicate keys
    expect(plan.stdout).toMatch(/^.*vtex\.env \(dotenv\) into staging: preview [\w-]{43}$/m);
    expect(plan.stdout).toContain('Nothing was written (--plan). Without --plan: 1 created, 0 updated.');
    expect(await workingValue(a.projectId, staging, 'BRAND_NEW')).toBeUndefined();

    const result = await runCli(['import', file], { env: env(tokens.readWrite) });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(1);
    expect(result.stdout.split('\n')).toEqual(
      expect.arrayContaining([
        '  New                  1  BRAND_NEW',
        '  Changed              1  EXISTING_CHANGED  (skipped: pass --overwrite to update them)',
        '  Unchanged            1  EXISTING_SAME',
        '  Invalid              4',
        '    1INVALID (line 6): Secret key may contain only letters, digits and underscores, and cannot start with a digit',
        '    KEYHOLD_SECRET (line 7): Secret keys starting with KEYHOLD_ are reserved',
        '    EMPTY (line 8): Secret value is required',
        '    existing_other (line 9): A secret with this key already exists',
        '  Duplicate in file    1',
        '    TWICE: lines 10 and 11',
        'Created 1, updated 0.',
        'Changes take effect with the next successful deployment (Redeploy in Keyhold).',
      ]),
    );
    for (const value of ['multi', 'case clash', '\nnew']) expect(result.stdout).not.toContain(value);
    expect(await workingValue(a.projectId, staging, 'BRAND_NEW')).toEqual({ value: 'multi\nline', versions: 1 });
    expect(await workingValue(a.projectId, staging, 'EXISTING_CHANGED')).toEqual({ value: 'old', versions: 1 });
    expect(await db.secret.count({ where: { environmentId: staging, key: { in: ['1INVALID', 'KEYHOLD_SECRET', 'EMPTY', 'existing_other', 'TWICE'] } } })).toBe(
      0,
    );
    const event = await db.auditEvent.findFirstOrThrow({ where: { projectId: a.projectId, action: 'secrets.imported' }, orderBy: { createdAt: 'desc' } });
    expect(JSON.parse(event.details)).toMatchObject({ created: 1, updated: 0, skipped: 1, unchanged: 1, invalid: 4, duplicate: 1 });
  });

  it('with --overwrite overwrites the changed secrets and leaves unchanged ones alone', async () => {
    const file = path.join(dir(), 'vtex.env');
    fs.writeFileSync(file, VTEX.replace("BRAND_NEW='multi\nline'", "BRAND_NEW='multi\nline, again'"));
    const staging = a.environments.staging;
    const result = await runCli(['import', file, '--overwrite'], { env: env(tokens.readWrite) });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('Created 0, updated 2.'); // EXISTING_CHANGED, BRAND_NEW
    expect(await workingValue(a.projectId, staging, 'EXISTING_CHANGED')).toEqual({ value: 'new', versions: 2 });
    expect(await workingValue(a.projectId, staging, 'BRAND_NEW')).toEqual({ value: 'multi\nline, again', versions: 2 });
    expect(await workingValue(a.projectId, staging, 'EXISTING_SAME')).toEqual({ value: 'same', versions: 1 });
  });

  it('imports a flat JSON such as secrets.revealed.json, __proto__ included, and exits 0 when all is valid', async () => {
    const file = path.join(dir(), 'secrets.revealed.json');
    fs.writeFileSync(file, '{"JSON_ONE": "j1", "__proto__": "proto secret", "constructor": "ctor"}');
    const result = await runCli(['import', file], { env: env(tokens.readWrite) });
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toContain('  New                  3  JSON_ONE, __proto__, constructor');
    expect(result.stdout).toContain('Created 3, updated 0.');
    expect(await workingValue(a.projectId, a.environments.staging, '__proto__')).toEqual({ value: 'proto secret', versions: 1 });

    const invalid = path.join(dir(), 'bad.json');
    fs.writeFileSync(invalid, '{"PORT": 5432, "NESTED": {"a": "b"}}');
    const bad = await runCli(['import', invalid], { env: env(tokens.readWrite) });
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain('    PORT (line 1): Only text values can be imported: write this value as a JSON string. (it is a number)');
    expect(bad.stdout).toContain('    NESTED (line 1): Only text values can be imported: write this value as a JSON string. (it is an object)');
    expect(bad.stdout).not.toContain('5432');

    const notJson = path.join(dir(), 'broken.json');
    fs.writeFileSync(notJson, '{"A": ');
    const broken = await runCli(['import', notJson], { env: env(tokens.readWrite) });
    expect(broken.code).toBe(2);
    expect(broken.stderr).toBe(
      'keyhold: This is not valid JSON. Choose .env format, or fix the file (validation_failed) [text: This is not valid JSON. Choose .env format, or fix the file.].\n',
    );
  });
});
