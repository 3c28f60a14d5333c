#!/usr/bin/env node
// @ts-check
// How much `keyhold run -- true` adds over running `true` directly (issue 4
// target: at most 150 ms, median) and over Node's own start-up, `node -e ""`
// (issue 9 target: at most 25 ms, median), against a real local Keyhold API
// with a 100-secret deployed environment (bench/cli-server.ts: a throwaway
// SQLite database, the real /api/v1 handler on 127.0.0.1).
//
//   node bench/cli.mjs [--runs 25]
//
// Bounded: loopback only, at most --runs measured runs per command (default
// 25, minimum 20) after 3 warm-up runs, a 3-minute deadline, and the server is
// stopped on every exit path. Prints medians, p90 and the verdicts; exits 1
// when the benchmark fails or a target is missed.
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CLI = path.join(root, 'cli/bin.cjs'); // the package's bin, as users run it
const TARGETS = { overTrue: 150, overNode: 25 };
const DEADLINE_MS = 180_000;
const WARMUP = 3;

const runsArg = process.argv.indexOf('--runs');
const RUNS = Math.max(20, runsArg === -1 ? 25 : Number(process.argv[runsArg + 1]) || 25);

/** @type {import('node:child_process').ChildProcess | undefined} */
let server;
const stopServer = () => {
  if (server && server.exitCode === null && server.signalCode === null) server.kill('SIGTERM');
};
process.on('exit', stopServer);
for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM'])) {
  process.on(signal, () => {
    stopServer();
    process.exit(130);
  });
}
setTimeout(() => {
  console.error(`bench/cli: gave up after ${DEADLINE_MS / 1000} s`);
  process.exit(1);
}, DEADLINE_MS).unref();

/** @returns {Promise<{ url: string, token: string, secrets: number }>} */
function startServer() {
  return new Promise((resolve, reject) => {
    server = spawn(process.execPath, ['--import', 'tsx', 'bench/cli-server.ts'], {
      cwd: root,
      stdio: ['pipe', 'pipe', 'inherit'],
      env: { ...process.env, NODE_ENV: 'production' },
    });
    let out = '';
    server.stdout?.setEncoding('utf8').on('data', (chunk) => {
      out += chunk;
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) resolve(JSON.parse(line));
    });
    server.on('exit', (code) => reject(new Error(`bench/cli-server.ts exited (${code}) before it was ready`)));
    setTimeout(() => reject(new Error('bench/cli-server.ts was not ready within 60 s')), 60_000).unref();
  });
}

/**
 * Wall-clock milliseconds of one run; fails the benchmark if the command fails.
 * @param {string} command @param {string[]} args @param {NodeJS.ProcessEnv} env
 */
function time(command, args, env) {
  const start = process.hrtime.bigint();
  const result = spawnSync(command, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0) {
    throw new Error(`${[command, ...args].join(' ')} exited ${result.status ?? result.signal}: ${result.stderr?.toString().trim()}`);
  }
  return ms;
}

/** @param {number[]} xs */
const sorted = (xs) => [...xs].sort((a, b) => a - b);
/** @param {number[]} xs @param {number} q */
const quantile = (xs, q) => {
  const s = sorted(xs);
  const i = (s.length - 1) * q;
  const lo = Math.floor(i);
  return s[lo] + (s[Math.ceil(i)] - s[lo]) * (i - lo);
};
/** @param {number[]} xs */
const median = (xs) => quantile(xs, 0.5);
/** @param {number} ms */
const fmt = (ms) => `${ms.toFixed(1).padStart(7)} ms`;

async function main() {
  console.log(`bench/cli: keyhold run -- true vs true and node -e "", ${RUNS} runs each (node ${process.version}, ${process.platform}/${process.arch})`);
  // The bundle the bin runs (made on npm install; again here so it matches the sources).
  if (spawnSync(process.execPath, ['scripts/build-cli.mjs'], { cwd: root, stdio: 'inherit' }).status !== 0) throw new Error('scripts/build-cli.mjs failed');
  const { url, token, secrets } = await startServer();
  /** @type {NodeJS.ProcessEnv} */
  const env = { ...process.env, KEYHOLD_URL: url, KEYHOLD_TOKEN: token };
  delete env.NODE_OPTIONS; // the CLI runs as users run it

  // The child really gets the deployment (and the server really answers).
  const check = spawnSync(
    process.execPath,
    [CLI, 'run', '--', process.execPath, '-e', `process.exit(Object.keys(process.env).filter((k) => k.startsWith('BENCH_')).length === ${secrets} ? 0 : 1)`],
    { env, stdio: 'inherit' },
  );
  if (check.status !== 0) throw new Error(`keyhold run did not hand the ${secrets} secrets to the command`);

  /** @type {Record<string, [string, string[]]>} */
  const commands = {
    true: ['true', []],
    'node -e ""': [process.execPath, ['-e', '']],
    'keyhold --version': [process.execPath, [CLI, '--version']],
    'keyhold run -- true': [process.execPath, [CLI, 'run', '--', 'true']],
  };
  /** @type {Record<string, number[]>} */
  const samples = Object.fromEntries(Object.keys(commands).map((name) => [name, []]));
  for (let i = 0; i < WARMUP; i++) for (const [command, args] of Object.values(commands)) time(command, args, env);
  // Interleaved, so drift on a busy machine hits every command alike.
  for (let i = 0; i < RUNS; i++) {
    for (const [name, [command, args]] of Object.entries(commands)) samples[name].push(time(command, args, env));
  }
  stopServer();

  console.log(`server: ${url} (loopback), ${secrets} secrets deployed\n`);
  console.log(`${'command'.padEnd(22)} ${'median'.padStart(10)} ${'p90'.padStart(10)} ${'min'.padStart(10)}`);
  for (const [name, xs] of Object.entries(samples)) {
    console.log(`${name.padEnd(22)} ${fmt(median(xs))} ${fmt(quantile(xs, 0.9))} ${fmt(Math.min(...xs))}`);
  }
  /** @param {string} base */
  const over = (base) => ({
    added: median(samples['keyhold run -- true']) - median(samples[base]),
    pairwise: median(samples['keyhold run -- true'].map((ms, i) => ms - samples[base][i])),
  });
  const checks = [
    { base: 'true', target: TARGETS.overTrue, ...over('true') },
    { base: 'node -e ""', target: TARGETS.overNode, ...over('node -e ""') },
  ];
  console.log('');
  for (const c of checks) {
    console.log(
      `keyhold run adds ${c.added.toFixed(1)} ms over ${c.base} (median of runs minus median of ${c.base}; median of pairwise differences ${c.pairwise.toFixed(1)} ms): target ≤ ${c.target} ms ${c.added <= c.target ? 'met' : 'MISSED'}`,
    );
  }
  return checks.every((c) => c.added <= c.target) ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(`bench/cli: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
