// What bench/api.mjs and bench/soak.mjs share: a temporary folder, the server
// environment (throwaway keys, loopback only), child processes in their own
// groups stopped on every exit path, a deadline, and with `postgres: true` a
// throwaway PostgreSQL cluster (scripts/pg-cluster.mjs) instead of SQLite.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensurePostgres, freePort, startCluster } from '../scripts/pg-cluster.mjs';

export { freePort };
export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Reads `--name <number>` from the command line. */
export const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? fallback : Number(process.argv[i + 1]) || fallback;
};

export const lastJsonLine = (out) =>
  JSON.parse(
    out
      .trim()
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .pop(),
  );

/**
 * @param {{ name: string, deadlineMs: number, postgres?: boolean, env?: Record<string, string> }} options
 */
export async function createHarness({ name, deadlineMs, postgres = false, env: extra = {} }) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `keyhold-bench-${name}-`));
  /** @type {import('node:child_process').ChildProcess[]} */
  const children = [];
  let cluster = null;

  function cleanup() {
    for (const child of children) {
      if (child.exitCode === null && child.signalCode === null) {
        try {
          process.kill(-child.pid, 'SIGTERM'); // its whole group: start.mjs and the server it started
        } catch {
          child.kill('SIGTERM');
        }
      }
    }
    cluster?.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  process.on('exit', cleanup);
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(130));
  setTimeout(() => {
    console.error(`bench/${name}: gave up after ${deadlineMs / 60_000} minutes`);
    process.exit(1);
  }, deadlineMs).unref();

  let databaseUrl = `file:${path.join(dir, 'bench.db')}`;
  if (postgres) {
    const bin = ensurePostgres();
    if (!bin) process.exit(1);
    cluster = await startCluster({ bin });
    databaseUrl = cluster.url();
  }

  const env = {
    ...process.env,
    NODE_ENV: 'production',
    DATABASE_URL: databaseUrl,
    KEYHOLD_MASTER_KEY: randomBytes(32).toString('base64'),
    NEXTAUTH_SECRET: randomBytes(32).toString('base64'),
    KEYHOLD_DATA_DIR: dir,
    NEXT_TELEMETRY_DISABLED: '1',
    HOST: '127.0.0.1',
    ...extra,
  };

  /** Runs a node script to completion; resolves with its stdout. */
  function runNode(args, extraEnv = {}) {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, args, { cwd: root, env: { ...env, ...extraEnv }, stdio: ['ignore', 'pipe', 'inherit'] });
      let out = '';
      child.stdout.setEncoding('utf8').on('data', (chunk) => (out += chunk));
      child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`node ${args.join(' ')} exited ${code}`))));
    });
  }

  /** Starts a long-running process in its own group; resolves once `ready(url)` answers (with `child.log()`: its output so far). */
  async function startServer(args, port, extraEnv, ready, what) {
    const child = spawn(process.execPath, args, {
      cwd: root,
      env: { ...env, PORT: String(port), ...extraEnv },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    children.push(child);
    let log = '';
    child.stdout.setEncoding('utf8').on('data', (c) => (log += c));
    child.stderr.setEncoding('utf8').on('data', (c) => (log += c));
    const deadline = Date.now() + 10 * 60_000; // a first `next build` takes a while
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`${what} exited ${child.exitCode}:\n${log.slice(-3000)}`);
      try {
        if (await ready(`http://127.0.0.1:${port}`)) return Object.assign(child, { log: () => log });
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`${what} was not ready in time:\n${log.slice(-3000)}`);
  }

  return { env, databaseUrl, runNode, startServer };
}

/** Signs in through next-auth's credentials endpoint and returns the session cookie (`name=value`). */
export async function signIn(base, { email, password }) {
  const csrf = await fetch(`${base}/api/auth/csrf`);
  const { csrfToken } = await csrf.json();
  const cookies = csrf.headers.getSetCookie().map((c) => c.split(';')[0]);
  const response = await fetch(`${base}/api/auth/callback/credentials`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookies.join('; ') },
    body: new URLSearchParams({ csrfToken, email, password, json: 'true' }),
  });
  const session = response.headers.getSetCookie().find((c) => c.startsWith('next-auth.session-token='));
  if (!session) throw new Error(`sign-in failed (${response.status})`);
  return session.split(';')[0];
}
