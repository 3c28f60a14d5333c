// `npm test`: every test suite, one closing count.
//   typecheck (tsc) · lint (ESLint, Prettier, knip: scripts/lint.mjs) · unit + integration (vitest: SQLite, and PostgreSQL in a
//   throwaway cluster) · e2e (Playwright in Debian's Chromium; three specs on PostgreSQL too)
// Prints each suite's counts, then ends with exactly one line
// `N passed, N failed[, N skipped]` that adds them all up. Exits non-zero when
// anything failed or a suite could not run (which counts as one failure).
//   --unit  typecheck, lint and unit tests only      --e2e  end-to-end tests only
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { failureLine, LINTERS, runLinter } from './lint.mjs';
import { ensurePostgres, startCluster } from './pg-cluster.mjs';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
process.chdir(root);

if (!fs.existsSync('node_modules/vitest') || !fs.existsSync('lib/generated/prisma')) {
  console.error('Dependencies are not installed: run `npm ci` first (the quick start does), then `npm test`.');
  process.exit(1);
}

const args = process.argv.slice(2);
const unknown = args.filter((a) => a !== '--unit' && a !== '--e2e');
if (unknown.length || args.length > 1) {
  console.error(`usage: node scripts/test.mjs [--unit | --e2e]`);
  process.exit(2);
}
const runUnit = !args.includes('--e2e');
const runE2e = !args.includes('--unit');

const CHROMIUM = '/usr/bin/chromium';
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'keyhold-test-'));
const suites = [];

// Asynchronous on purpose: a signal handler only runs when the event loop turns,
// and the PostgreSQL cluster must be removed on Ctrl-C and SIGTERM too.
function run(command, commandArgs, env = {}) {
  console.log(`\n$ ${[command, ...commandArgs].join(' ')}`);
  return new Promise((resolve) => {
    const child = spawn(command, commandArgs, { stdio: 'inherit', env: { ...process.env, ...env } });
    child.on('error', (error) => {
      console.error(`${command}: ${error.message}`);
      resolve(1);
    });
    child.on('exit', (code) => resolve(code ?? 1));
  });
}

// The throwaway PostgreSQL cluster (scripts/pg-cluster.mjs): removed on every exit path.
let cluster = null;
const removeCluster = () => {
  cluster?.destroy();
  cluster = null;
  fs.rmSync(tmp, { recursive: true, force: true });
};
process.on('exit', removeCluster);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => process.exit(130));

async function startPostgres() {
  const bin = ensurePostgres();
  if (!bin) return null;
  try {
    cluster = await startCluster({ bin });
    console.log(`\nPostgreSQL test cluster on 127.0.0.1:${cluster.port} (removed at the end)`);
    return cluster;
  } catch (error) {
    console.error(`Could not start a PostgreSQL test cluster: ${error.message}`);
    return null;
  }
}

function readJson(file) {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
}

/** A suite that exits non-zero with no failing test counted, or leaves no report, could not run: one failure. */
function record(name, status, counts, note = '') {
  const { passed = 0, skipped = 0 } = counts ?? {};
  let failed = counts?.failed ?? 0;
  if (!counts || (status !== 0 && failed === 0)) {
    failed = 1;
    note ||= counts ? `exited ${status} without a failing test: it could not run` : 'left no report: it could not run';
  }
  suites.push({ name, passed, failed, skipped, note });
}

async function ensureChromium() {
  if (fs.existsSync(CHROMIUM)) return true;
  if (process.getuid?.() !== 0) {
    console.error("Chromium is missing: run 'sudo apt-get install -y chromium' (Debian) and try again.");
    return false;
  }
  console.log(`\n${CHROMIUM} is missing: installing Debian's chromium (apt-get, ~25 s).`);
  const env = { DEBIAN_FRONTEND: 'noninteractive' };
  return (
    (await run('apt-get', ['update'], env)) === 0 &&
    (await run('apt-get', ['install', '-y', '--no-install-recommends', 'chromium'], env)) === 0 &&
    fs.existsSync(CHROMIUM)
  );
}

const postgres = await startPostgres();
if (!postgres) record('PostgreSQL suites', 1, null, 'could not run: no PostgreSQL server');
const pgEnv = postgres ? { KEYHOLD_TEST_PG_URL: postgres.url() } : {};

if (runUnit) {
  const tsc = await run(process.execPath, ['node_modules/typescript/bin/tsc', '--noEmit']);
  record('typecheck', tsc, { passed: tsc === 0 ? 1 : 0, failed: tsc === 0 ? 0 : 1 });

  // One count per linter; a linter with findings is one failure, named in the summary.
  const lintFailures = [];
  for (const linter of LINTERS) {
    console.log(`\n$ node ${linter.args.join(' ')}`);
    if ((await runLinter(linter)) !== 0) {
      console.error(failureLine(linter));
      lintFailures.push(linter.name);
    }
  }
  record(
    'lint',
    lintFailures.length ? 1 : 0,
    { passed: LINTERS.length - lintFailures.length, failed: lintFailures.length },
    lintFailures.length ? `${lintFailures.join(', ')} found problems` : '',
  );

  const report = path.join(tmp, 'vitest.json');
  // One vitest process, two projects: every file on SQLite, the database suites again on PostgreSQL.
  const vitest = await run(
    process.execPath,
    ['node_modules/vitest/vitest.mjs', 'run', '--reporter=default', '--reporter=json', `--outputFile=${report}`],
    pgEnv,
  );
  const v = readJson(report);
  // A test file that fails without a failing test (an import error, a hook) counts as one failure.
  const brokenFiles = v?.testResults.filter((f) => f.status === 'failed' && !f.assertionResults.some((t) => t.status === 'failed'));
  record(
    'unit (vitest)',
    vitest,
    v && {
      passed: v.numPassedTests,
      failed: v.numFailedTests + brokenFiles.length,
      skipped: v.numPendingTests + v.numTodoTests,
    },
  );
}

async function playwright(name, env) {
  const report = path.join(tmp, `${name.replace(/\W+/g, '-')}.json`);
  const status = await run(process.execPath, ['node_modules/@playwright/test/cli.js', 'test', '--reporter=list,json'], {
    PLAYWRIGHT_JSON_OUTPUT_NAME: report,
    ...env,
  });
  const stats = readJson(report)?.stats;
  record(
    name,
    status,
    stats && {
      passed: stats.expected + stats.flaky, // flaky: passed on retry
      failed: stats.unexpected,
      skipped: stats.skipped,
    },
  );
}

if (runE2e) {
  if (!(await ensureChromium())) {
    record('e2e (Playwright)', 1, null, 'could not run: Chromium is missing');
  } else {
    await playwright('e2e (Playwright)', {});
    // The secrets, deploys and tokens specs again on PostgreSQL, and the multi-instance and outage spec.
    if (postgres) await playwright('e2e on PostgreSQL', { ...pgEnv, KEYHOLD_E2E_DB: 'postgresql' });
  }
}

removeCluster();

const total = { passed: 0, failed: 0, skipped: 0 };
console.log('\nTest suites:');
for (const s of suites) {
  for (const k of Object.keys(total)) total[k] += s[k];
  const counts = `${s.passed} passed · ${s.failed} failed${s.skipped ? ` · ${s.skipped} skipped` : ''}`;
  console.log(`  ${s.name.padEnd(18)} ${counts}${s.note ? ` (${s.note})` : ''}`);
}
console.log(`${total.passed} passed, ${total.failed} failed${total.skipped ? `, ${total.skipped} skipped` : ''}`);
process.exit(total.failed > 0 ? 1 : 0);
