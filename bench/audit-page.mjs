// The audit page part of bench/audit.mjs (issue 11), measured from outside
// over HTTP against the real server (`node scripts/start.mjs`: `next build`
// when the sources changed, server.ts) on the run's seeded database, signed in
// as an owner (a session cookie made by bench/audit-page-work.ts):
//
//   the first audit page of 100,000 events            p50 ≤ 50 ms
//   a filtered page (action, environment, key, actor)  p50 ≤ 80 ms
//
// For each page: 5 warm-up requests, then `requests` one after another;
// `/login` is measured the same way in the same run as the baseline (what any
// server-rendered page costs on this machine right now).
import { performance } from 'node:perf_hooks';
import { freePort, lastJsonLine } from './harness.mjs';

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
  const server = await harness.startServer(
    ['scripts/start.mjs'],
    port,
    {},
    async (url) => (await fetch(`${url}/api/health`)).ok,
    'Keyhold (scripts/start.mjs)',
  );
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
