// `npm test`: every test suite, one closing count.
//   typecheck (tsc) · unit (vitest) · e2e (Playwright in Debian's Chromium)
// Prints each suite's counts, then ends with exactly one line
// `N passed, N failed[, N skipped]` that adds them all up. Exits non-zero when
// anything failed or a suite could not run (which counts as one failure).
//   --unit  typecheck and unit tests only      --e2e  end-to-end tests only
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

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

function run(command, commandArgs, env = {}) {
  console.log(`\n$ ${[command, ...commandArgs].join(' ')}`);
  const result = spawnSync(command, commandArgs, { stdio: 'inherit', env: { ...process.env, ...env } });
  if (result.error) console.error(`${command}: ${result.error.message}`);
  return result.status ?? 1;
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

function ensureChromium() {
  if (fs.existsSync(CHROMIUM)) return true;
  if (process.getuid?.() !== 0) {
    console.error("Chromium is missing: run 'sudo apt-get install -y chromium' (Debian) and try again.");
    return false;
  }
  console.log(`\n${CHROMIUM} is missing: installing Debian's chromium (apt-get, ~25 s).`);
  const env = { DEBIAN_FRONTEND: 'noninteractive' };
  return (
    run('apt-get', ['update'], env) === 0 &&
    run('apt-get', ['install', '-y', '--no-install-recommends', 'chromium'], env) === 0 &&
    fs.existsSync(CHROMIUM)
  );
}

if (runUnit) {
  const tsc = run(process.execPath, ['node_modules/typescript/bin/tsc', '--noEmit']);
  record('typecheck', tsc, { passed: tsc === 0 ? 1 : 0, failed: tsc === 0 ? 0 : 1 });

  const report = path.join(tmp, 'vitest.json');
  const vitest = run(process.execPath, [
    'node_modules/vitest/vitest.mjs', 'run', '--reporter=default', '--reporter=json', `--outputFile=${report}`,
  ]);
  const v = readJson(report);
  // A test file that fails without a failing test (an import error, a hook) counts as one failure.
  const brokenFiles = v?.testResults.filter((f) => f.status === 'failed' && !f.assertionResults.some((t) => t.status === 'failed'));
  record('unit (vitest)', vitest, v && {
    passed: v.numPassedTests,
    failed: v.numFailedTests + brokenFiles.length,
    skipped: v.numPendingTests + v.numTodoTests,
  });
}

if (runE2e) {
  if (!ensureChromium()) {
    record('e2e (Playwright)', 1, null, 'could not run: Chromium is missing');
  } else {
    const report = path.join(tmp, 'playwright.json');
    const playwright = run(
      process.execPath,
      ['node_modules/@playwright/test/cli.js', 'test', '--reporter=list,json'],
      { PLAYWRIGHT_JSON_OUTPUT_NAME: report },
    );
    const stats = readJson(report)?.stats;
    record('e2e (Playwright)', playwright, stats && {
      passed: stats.expected + stats.flaky, // flaky: passed on retry
      failed: stats.unexpected,
      skipped: stats.skipped,
    });
  }
}

fs.rmSync(tmp, { recursive: true, force: true });

const total = { passed: 0, failed: 0, skipped: 0 };
console.log('\nTest suites:');
for (const s of suites) {
  for (const k of Object.keys(total)) total[k] += s[k];
  const counts = `${s.passed} passed · ${s.failed} failed${s.skipped ? ` · ${s.skipped} skipped` : ''}`;
  console.log(`  ${s.name.padEnd(18)} ${counts}${s.note ? ` (${s.note})` : ''}`);
}
console.log(`${total.passed} passed, ${total.failed} failed${total.skipped ? `, ${total.skipped} skipped` : ''}`);
process.exit(total.failed > 0 ? 1 : 0);
