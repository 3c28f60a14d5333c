#!/usr/bin/env node
// Audit log targets (issue 11), on a throwaway SQLite database (--postgres: a
// throwaway PostgreSQL cluster):
//
//   verifyAuditChain() over 100,000 events (what `npm run audit -- verify` runs)   ≤ 2 s
//   the first audit page, over HTTP, signed in (bench/audit-page.mjs)             p50 ≤ 50 ms
//   a filtered audit page                                                         p50 ≤ 80 ms
//
//   node bench/audit.mjs [--events 100000] [--runs 3] [--requests 40] [--no-pages] [--postgres]
//
// Seeds one project with --events chained events (bench/audit-seed.ts: its
// seedAuditEvents() is exported for the audit page timings to reuse), then
// times the verification in its own process (median of --runs) and, beside it,
// the whole `npm run audit -- verify <slug>` command once (process start and
// tsx included; not a target), and the verification's CPU time (on a busy
// shared machine the wall time mostly measures the wait for a core). The machine API's read ratios with read
// tracking on are measured by bench/api.mjs. Bounded: a 15-minute deadline,
// the database removed on every exit path. Exits 1 when a target is missed or
// the benchmark fails.
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { auditPageTimings } from './audit-page.mjs';
import { arg, createHarness, lastJsonLine } from './harness.mjs';

const EVENTS = arg('events', 100_000);
const RUNS = arg('runs', 3);
const POSTGRES = process.argv.includes('--postgres');
const TARGETS = { verifyMs: 2_000 };

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

async function main() {
  const harness = await createHarness({ name: 'audit', deadlineMs: 25 * 60_000, postgres: POSTGRES });
  const { runNode } = harness;
  await runNode(['scripts/migrate.mjs', 'apply']);
  const seeded = lastJsonLine(await runNode(['--import', 'tsx', 'bench/audit-work.ts', 'seed', String(EVENTS)]));
  console.log(
    `seeded ${seeded.events.toLocaleString('en-US')} events in ${(seeded.seedMs / 1000).toFixed(1)} s (${POSTGRES ? 'PostgreSQL' : 'SQLite'}, load ${os.loadavg()[0].toFixed(1)})`,
  );

  const verified = lastJsonLine(await runNode(['--import', 'tsx', 'bench/audit-work.ts', 'verify', seeded.projectId, String(RUNS)]));
  const verifyMs = median(verified.times);
  const t = performance.now();
  const command = await runNode(['--import', 'tsx', 'scripts/audit.ts', 'verify', seeded.slug]);
  const commandMs = performance.now() - t;

  const results = [
    { what: `verifyAuditChain, ${verified.checked.toLocaleString('en-US')} events (median of ${RUNS})`, value: verifyMs, target: TARGETS.verifyMs },
  ];
  for (const r of results) console.log(`${r.what}: ${Math.round(r.value)} ms (target ≤ ${r.target} ms) ${r.value <= r.target ? 'ok' : 'MISSED'}`);
  if (!process.argv.includes('--no-pages')) {
    for (const page of await auditPageTimings(harness, seeded, arg('requests', 40))) {
      const verdict = page.target === undefined ? '' : ` (target p50 ≤ ${page.target} ms) ${page.p50 <= page.target ? 'ok' : 'MISSED'}`;
      console.log(`${page.what}: p50 ${page.p50.toFixed(1)} ms, p90 ${page.p90.toFixed(1)} ms${verdict}`);
      if (page.target !== undefined) results.push({ what: page.what, value: page.p50, target: page.target });
    }
  }
  console.log(`npm run audit -- verify ${seeded.slug}, whole command: ${Math.round(commandMs)} ms (${command.trim().split('\n')[0]})`);
  console.log(
    `runs: ${verified.times.map((x) => Math.round(x)).join(', ')} ms wall; CPU time of this process ${verified.cpu.map((x) => Math.round(x)).join(', ')} ms (SQLite runs in-process, so on a shared machine this is the closer figure); load ${os.loadavg()[0].toFixed(1)}`,
  );
  process.exit(results.every((r) => r.value <= r.target) ? 0 : 1);
}

main().catch((error) => {
  console.error(`bench/audit: ${error.message}`);
  process.exit(1);
});
