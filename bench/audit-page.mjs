#!/usr/bin/env node
// Audit page targets (issue 11), measured from outside over HTTP against the
// real server (`node scripts/start.mjs`: migrations, `next build` when the
// sources changed, server.ts) on a throwaway SQLite database (--postgres: a
// throwaway PostgreSQL cluster), signed in as an owner:
//
//   the first audit page of 100,000 events            p50 ≤ 50 ms
//   a filtered page (action, environment, key, actor)  p50 ≤ 80 ms
//
//   node bench/audit-page.mjs [--events 100000] [--requests 40] [--postgres]
//
// Seeds with bench/audit-seed.ts (seedAuditEvents, through bench/audit-work.ts),
// then for each page: 5 warm-up requests, then --requests one after another;
// `/login` is measured the same way in the same run as the baseline (what any
// server-rendered page costs on this machine right now). auditPageTimings() is
// exported for bench/audit.mjs to run beside the chain verification.
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { arg, createHarness, freePort, lastJsonLine } from './harness.mjs';

const TARGETS = { firstPageMs: 50, filteredPageMs: 80 };

const percentile = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};

async function timed(url, cookie, requests) {
  const times = [];
  for (let i = 0; i < requests + 5; i++) {
    const t = performance.now();
    const response = await fetch(url, { headers: cookie ? { cookie } : {}, redirect: 'manual' });
    const body = await response.text();
    const ms = performance.now() - t;
    if (response.status !== 200) throw new Error(`${url} answered ${response.status}`);
    if (cookie && !body.includes('Audit events') && !body.includes('No events match')) throw new Error(`${url} did not render the audit table`);
    if (i >= 5) times.push(ms);
  }
  return { p50: percentile(times, 50), p90: percentile(times, 90) };
}

/**
 * Times the audit page of a seeded project on a running server.
 * @param {{ runNode: Function, startServer: Function, env: object }} harness
 * @param {{ projectId: string, slug: string, keys: string[] }} seeded
 */
export async function auditPageTimings(harness, seeded, requests = 40) {
  const session = lastJsonLine(await harness.runNode(['--import', 'tsx', 'bench/audit-page-work.ts', 'session', seeded.projectId]));
  const port = await freePort();
  const server = await harness.startServer(['scripts/start.mjs'], port, {}, async (url) => (await fetch(`${url}/api/health`)).ok, 'Keyhold (scripts/start.mjs)');
  const base = `http://127.0.0.1:${port}`;
  const page = `${base}/projects/${seeded.slug}/audit`;
  const pages = [
    { what: '/login (baseline)', url: `${base}/login`, cookie: null },
    { what: 'first audit page', url: page, target: TARGETS.firstPageMs },
    { what: 'filtered: action + environment', url: `${page}?action=secret.value_changed&env=production`, target: TARGETS.filteredPageMs },
    { what: 'filtered: secret key', url: `${page}?key=${seeded.keys[0]}`, target: TARGETS.filteredPageMs },
    { what: 'filtered: rare action + date range', url: `${page}?action=deploy.rolled_back&from=2000-01-01&to=2100-01-01`, target: TARGETS.filteredPageMs },
    ...(session.tokenId ? [{ what: 'filtered: token actor', url: `${page}?actor=token:${session.tokenId}`, target: TARGETS.filteredPageMs }] : []),
  ];
  const results = [];
  for (const p of pages) results.push({ ...p, ...(await timed(p.url, p.cookie === null ? null : session.cookie, requests)) });
  try {
    process.kill(-server.pid, 'SIGTERM');
  } catch {
    // already gone
  }
  return results;
}

async function main() {
  const events = arg('events', 100_000);
  const postgres = process.argv.includes('--postgres');
  const harness = await createHarness({ name: 'audit-page', deadlineMs: 20 * 60_000, postgres });
  await harness.runNode(['scripts/migrate.mjs', 'apply']);
  const seeded = lastJsonLine(await harness.runNode(['--import', 'tsx', 'bench/audit-work.ts', 'seed', String(events)]));
  console.log(`seeded ${seeded.events.toLocaleString('en-US')} events (${postgres ? 'PostgreSQL' : 'SQLite'}, load ${os.loadavg()[0].toFixed(1)})`);
  const results = await auditPageTimings(harness, seeded, arg('requests', 40));
  for (const r of results) {
    const verdict = r.target === undefined ? '' : ` (target p50 ≤ ${r.target} ms) ${r.p50 <= r.target ? 'ok' : 'MISSED'}`;
    console.log(`${r.what}: p50 ${r.p50.toFixed(1)} ms, p90 ${r.p90.toFixed(1)} ms${verdict}`);
  }
  console.log(`load ${os.loadavg()[0].toFixed(1)}`);
  process.exit(results.every((r) => r.target === undefined || r.p50 <= r.target) ? 0 : 1);
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error) => {
    console.error(`bench/audit-page: ${error.message}`);
    process.exit(1);
  });
}
