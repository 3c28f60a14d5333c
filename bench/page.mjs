#!/usr/bin/env node
// The secrets page under a steady load (issue 9 target), beside /login in the
// same run, signed in as an owner of a 10,000-secret environment:
//
//   first page of /projects/<slug>/settings/secrets?env=production   p50 ≤ 1.25× and p99 ≤ 2× of /login's
//   a search (?env=production&q=stripe)                               the same
//   the project overview (its keys × environments matrix)             reported, no target
//
//   node bench/page.mjs [--duration 20] [--rate 20] [--secrets 10000] [--runs 1]
//
// Open-loop: a request every 1000/--rate ms whatever the answers do, so a slow
// page queues the next ones (as real visitors would) instead of slowing the
// load down; latency is counted from when each request was due. Each page gets
// a 5 s warm-up, then --duration s (default 20); with --runs > 1 the pages
// take turns and medians are reported. Before measuring it prints what one
// answer weighs (HTML, and the RSC payload a client-side navigation fetches);
// beside the latencies, the server's CPU time per request (Linux), which the
// neighbours on a shared machine do not change.
//
// What runs: `node scripts/start.mjs` (migrations, `next build` when the
// sources changed, then the server users run) on 127.0.0.1 with a throwaway
// SQLite database seeded by bench/api-seed.ts (the owner signs in through
// next-auth like a browser). Bounded: loopback only, a 20-minute deadline,
// every server stopped on every exit path. Exits 1 when a target is missed or
// the benchmark fails.
import fs from 'node:fs';
import { arg, createHarness, freePort, lastJsonLine, signIn } from './harness.mjs';

const DURATION_S = arg('duration', 20);
const RATE = arg('rate', 20);
const SECRETS = arg('secrets', 10_000);
const RUNS = arg('runs', 1);
const WARMUP_S = 5;
const TARGETS = { p50: 1.25, p99: 2 };
const OWNER = { email: 'page-owner@keyhold.test', password: 'page-owner-passw0rd!' };

const quantile = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)];
};
const median = (xs) => quantile(xs, 0.5);

/**
 * CPU time (ms) used so far by a process group (the server and its parent),
 * from /proc; null where there is none. Latency on a shared machine depends
 * on the neighbours too, CPU per request does not.
 */
function groupCpuMs(pgid) {
  if (!fs.existsSync('/proc/self/stat')) return null;
  let ticks = 0;
  for (const pid of fs.readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ').pop().split(' ');
      if (Number(fields[2]) === pgid) ticks += Number(fields[11]) + Number(fields[12]); // pgrp, utime, stime
    } catch {
      // gone meanwhile
    }
  }
  return ticks * 10; // USER_HZ is 100 on Linux
}

/** One request; rejects unless the page answered 200 (and its HTML has `expect` in it). */
async function get(page, extraHeaders = {}) {
  // An RSC request (what a client-side navigation fetches) carries Next's cache-busting `_rsc` parameter.
  const url = extraHeaders.rsc ? `${page.url}${page.url.includes('?') ? '&' : '?'}_rsc` : page.url;
  const response = await fetch(url, { redirect: 'manual', headers: { ...page.headers, ...extraHeaders } });
  const body = await response.text();
  if (response.status !== 200 || (!extraHeaders.rsc && !body.includes(page.expect))) {
    throw new Error(
      `${page.name}: answered ${response.status}${response.headers.get('location') ? ` → ${response.headers.get('location')}` : ''}${response.status === 200 ? ` without "${page.expect}"` : ''}`,
    );
  }
  return body;
}

/** Open-loop: request i is sent at start + i·interval; resolves with each latency (ms) from its due time. */
async function openLoop(page, seconds) {
  const interval = 1000 / RATE;
  const count = Math.round(seconds * RATE);
  const start = performance.now() + interval;
  const pending = [];
  for (let i = 0; i < count; i++) {
    const due = start + i * interval;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    pending.push(get(page).then(() => performance.now() - due));
  }
  return Promise.all(pending);
}

async function main() {
  const { runNode, startServer } = await createHarness({ name: 'page', deadlineMs: 20 * 60_000 });
  console.log(`bench/page: ${RATE} req/s open-loop, ${DURATION_S} s × ${RUNS} run(s) per page after ${WARMUP_S} s of warm-up, node ${process.version}`);
  await runNode(['scripts/migrate.mjs', 'apply']);
  console.log(`seeding ${SECRETS} secrets…`);
  const seed = lastJsonLine(
    await runNode(['--import', 'tsx', 'bench/api-seed.ts'], {
      BENCH_SECRETS: String(SECRETS),
      BENCH_OWNER_EMAIL: OWNER.email,
      BENCH_OWNER_PASSWORD: OWNER.password,
    }),
  );

  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  console.log('starting Keyhold (node scripts/start.mjs: builds first when the sources changed)…');
  const server = await startServer(['scripts/start.mjs'], port, { NEXTAUTH_URL: base }, async (url) => (await fetch(`${url}/api/ready`)).ok, 'Keyhold');
  const cookie = await signIn(base, OWNER);

  const secrets = `${base}/projects/${seed.slug}/settings/secrets?env=production`;
  const pages = [
    { name: '/login', url: `${base}/login`, headers: {}, expect: 'Sign in' },
    { name: 'secrets, first page', url: secrets, headers: { cookie }, expect: 'Actions for BENCH_DATABASE_001_URL' },
    { name: 'secrets, search', url: `${secrets}&q=stripe`, headers: { cookie }, expect: 'Actions for BENCH_STRIPE_000_API_KEY' },
    // Reported beside the others, without a target: the keys × environments matrix of the same 10,000 keys.
    { name: 'project overview', url: `${base}/projects/${seed.slug}`, headers: { cookie }, expect: 'Keys across environments', reportOnly: true },
  ];

  console.log(`\nwhat one answer weighs (${seed.secrets} secrets in the environment):`);
  for (const page of pages) {
    const html = await get(page);
    const rsc = await get(page, { rsc: '1' });
    console.log(
      `  ${page.name.padEnd(20)} HTML ${(html.length / 1024).toFixed(1).padStart(6)} KiB   RSC payload ${(rsc.length / 1024).toFixed(1).padStart(6)} KiB`,
    );
  }

  for (const page of pages) await openLoop(page, WARMUP_S);
  const samples = new Map(pages.map((p) => [p, []]));
  for (let run = 1; run <= RUNS; run++) {
    for (const page of pages) {
      const cpuBefore = groupCpuMs(server.pid);
      const ms = await openLoop(page, DURATION_S);
      const cpu = cpuBefore === null ? null : (groupCpuMs(server.pid) - cpuBefore) / ms.length;
      const result = { p50: median(ms), p99: quantile(ms, 0.99), max: Math.max(...ms), n: ms.length, cpu };
      samples.get(page).push(result);
      console.log(
        `  run ${run}: ${page.name.padEnd(20)} p50 ${result.p50.toFixed(1).padStart(6)} ms  p99 ${result.p99.toFixed(1).padStart(7)} ms  max ${result.max.toFixed(1).padStart(7)} ms  (${result.n} requests)${cpu === null ? '' : `  server CPU ${cpu.toFixed(1)} ms/request`}`,
      );
    }
  }

  const summary = pages.map((page) => {
    const runs = samples.get(page);
    const cpu = runs[0].cpu === null ? null : median(runs.map((r) => r.cpu));
    return { page, p50: median(runs.map((r) => r.p50)), p99: median(runs.map((r) => r.p99)), cpu };
  });
  const login = summary[0];
  console.log(`\n${RUNS > 1 ? `Medians of ${RUNS} runs` : 'Results'} (${RATE} req/s, ${DURATION_S} s, 127.0.0.1):`);
  console.log('| page | p50 ms | p99 ms | p50 × /login | p99 × /login | server CPU ms/request | targets |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | --- |');
  let missed = 0;
  for (const s of summary) {
    const r50 = s.p50 / login.p50;
    const r99 = s.p99 / login.p99;
    const measuredOnly = s === login || s.page.reportOnly;
    const ok = measuredOnly || (r50 <= TARGETS.p50 && r99 <= TARGETS.p99);
    if (!ok) missed++;
    const verdict = s === login ? 'baseline' : s.page.reportOnly ? 'no target' : ok ? 'ok' : 'MISSED';
    console.log(
      `| ${s.page.name} | ${s.p50.toFixed(1)} | ${s.p99.toFixed(1)} | ${r50.toFixed(2)} | ${r99.toFixed(2)} | ${s.cpu?.toFixed(1) ?? '–'} | ${verdict} |`,
    );
  }
  console.log(`\ntargets: p50 ≤ ${TARGETS.p50}× and p99 ≤ ${TARGETS.p99}× of /login's`);
  console.log(missed ? `${missed} page(s) missed the target` : 'all targets met');
  process.exit(missed ? 1 : 0);
}

main().catch((error) => {
  console.error(`bench/page failed: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
});
