#!/usr/bin/env node
// The machine API's hot paths against the real server (issue 4 targets), each
// beside a bare node:http server answering the same bytes in the same run:
//
//   GET /api/v1/secrets (100-secret deployed environment)  ≥ 25% of bare req/s, p99 ≤ 5 ms
//   the same with a matching If-None-Match (304)           ≥ 40% of bare req/s
//   in-process getSecret on a warm cache                   ≤ 20 µs per call
//
//   node bench/api.mjs [--duration 15] [--runs 3] [--postgres]
//
// What runs: `node scripts/start.mjs` (migrations, `next build` when the
// sources changed, then `node --import tsx server.ts`: the entry users run)
// on 127.0.0.1 with a throwaway SQLite database (--postgres: a throwaway
// PostgreSQL cluster; the read paths must stay in memory, so the same ratios
// hold) seeded by bench/api-seed.ts,
// and the bare server in its own process. autocannon, 10 connections,
// --duration s per measurement (default 15) after a 3 s warm-up, medians of
// --runs runs (default 3), bare and Keyhold interleaved. The rate limiters
// run on every request but with limits out of reach
// (KEYHOLD_API_RATE_PER_TOKEN / _PER_IP = 10^9 per minute). Bounded: loopback only, a 15-minute
// deadline, every server stopped on every exit path. Exits 1 when a target is
// missed or the benchmark fails.
import os from 'node:os';
import autocannon from 'autocannon';
import { arg, createHarness, freePort, lastJsonLine } from './harness.mjs';

const POSTGRES = process.argv.includes('--postgres');
const DURATION = arg('duration', 15);
const RUNS = arg('runs', 3);
const CONNECTIONS = 10;
const DEADLINE_MS = 15 * 60_000;
const TARGETS = { readRatio: 0.25, readP99Ms: 5, notModifiedRatio: 0.4, getSecretUs: 20 };

const BARE_SERVER = `
const http = require('node:http');
const { body, headers, etag } = JSON.parse(Buffer.from(process.env.BARE_RESPONSE, 'base64').toString('utf8'));
const bytes = Buffer.from(body, 'base64');
const notModified = Object.fromEntries(Object.entries(headers).filter(([k]) => k !== 'content-length'));
http.createServer((req, res) => {
  if (req.headers['if-none-match'] === etag) { res.writeHead(304, notModified); res.end(); return; }
  res.writeHead(200, headers); res.end(bytes);
}).listen(Number(process.env.PORT), '127.0.0.1');
`;

function cannon(url, headers, duration) {
  return new Promise((resolve, reject) => {
    autocannon({ url, connections: CONNECTIONS, duration, headers }, (error, result) => (error ? reject(error) : resolve(result)));
  });
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

async function main() {
  const { runNode, startServer } = await createHarness({
    name: 'api',
    deadlineMs: DEADLINE_MS,
    postgres: POSTGRES,
    // Limits on (their cost is part of every request) but out of reach.
    env: { KEYHOLD_API_RATE_PER_TOKEN: '1000000000', KEYHOLD_API_RATE_PER_IP: '1000000000' },
  });
  console.log(
    `bench/api: ${os.cpus().length} CPUs, node ${process.version}; ${POSTGRES ? 'PostgreSQL' : 'SQLite'}; ${CONNECTIONS} connections, ${DURATION} s × ${RUNS} runs per measurement`,
  );
  await runNode(['scripts/migrate.mjs', 'apply']);
  const seed = lastJsonLine(await runNode(['--import', 'tsx', 'bench/api-seed.ts']));
  console.log(`seeded: ${seed.secrets} secrets deployed in production, one read token`);

  const apiPort = await freePort();
  console.log('starting Keyhold (node scripts/start.mjs: builds first when the sources changed)…');
  await startServer(['scripts/start.mjs'], apiPort, {}, async (url) => (await fetch(`${url}/api/v1/openapi.json`)).ok, 'Keyhold (scripts/start.mjs)');
  const api = `http://127.0.0.1:${apiPort}/api/v1/secrets`;
  const auth = { authorization: `Bearer ${seed.token}` };

  // The exact response to mirror: body and headers (Node adds Date, Connection and Keep-Alive to both).
  const sample = await fetch(api, { headers: auth });
  if (sample.status !== 200) throw new Error(`GET /api/v1/secrets answered ${sample.status}: ${await sample.text()}`);
  const body = Buffer.from(await sample.arrayBuffer());
  const etag = sample.headers.get('etag');
  const headers = {};
  for (const name of ['content-type', 'content-length', 'etag', 'x-keyhold-deployment', 'cache-control', 'x-content-type-options']) {
    headers[name] = sample.headers.get(name);
  }
  const check304 = await fetch(api, { headers: { ...auth, 'if-none-match': etag } });
  if (check304.status !== 304) throw new Error(`If-None-Match answered ${check304.status}`);

  const barePort = await freePort();
  const bareResponse = Buffer.from(JSON.stringify({ body: body.toString('base64'), headers, etag })).toString('base64');
  await startServer(['-e', BARE_SERVER], barePort, { BARE_RESPONSE: bareResponse }, async (url) => (await fetch(url)).ok, 'bare server');
  const bare = `http://127.0.0.1:${barePort}/api/v1/secrets`;

  const scenarios = [
    { name: 'GET /api/v1/secrets', server: 'bare', url: bare, headers: auth, status: 200 },
    { name: 'GET /api/v1/secrets', server: 'keyhold', url: api, headers: auth, status: 200 },
    { name: 'If-None-Match → 304', server: 'bare', url: bare, headers: { ...auth, 'if-none-match': etag }, status: 304 },
    { name: 'If-None-Match → 304', server: 'keyhold', url: api, headers: { ...auth, 'if-none-match': etag }, status: 304 },
  ];
  console.log(`response: ${body.length} bytes of JSON, ETag ${etag}`);
  for (const s of scenarios) await cannon(s.url, s.headers, 3); // warm-up (JIT, caches)
  const results = new Map(scenarios.map((s) => [s, []]));
  for (let run = 1; run <= RUNS; run++) {
    for (const s of scenarios) {
      const r = await cannon(s.url, s.headers, DURATION);
      const matching = r.statusCodeStats?.[s.status]?.count ?? 0;
      if (r.errors || r.timeouts || matching !== r.requests.total) {
        throw new Error(`${s.server} ${s.name}: ${r.errors} errors, ${r.timeouts} timeouts, ${matching}/${r.requests.total} answered ${s.status}`);
      }
      results.get(s).push({ rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99 });
      console.log(
        `  run ${run}: ${s.server.padEnd(7)} ${s.name.padEnd(22)} ${Math.round(r.requests.average).toString().padStart(7)} req/s  p50 ${r.latency.p50} ms  p99 ${r.latency.p99} ms`,
      );
    }
  }

  const inProcess = lastJsonLine(await runNode(['--import', 'tsx', 'bench/api-in-process.ts', seed.projectId, seed.environmentId, seed.sampleKey]));

  const summary = scenarios.map((s) => {
    const runs = results.get(s);
    return { ...s, rps: median(runs.map((r) => r.rps)), p50: median(runs.map((r) => r.p50)), p99: median(runs.map((r) => r.p99)) };
  });
  const [bare200, api200, bare304, api304] = summary;
  const readRatio = api200.rps / bare200.rps;
  const notModifiedRatio = api304.rps / bare304.rps;
  const checks = [
    {
      what: 'GET /api/v1/secrets vs bare',
      value: `${(readRatio * 100).toFixed(1)}%`,
      target: `≥ ${TARGETS.readRatio * 100}%`,
      ok: readRatio >= TARGETS.readRatio,
    },
    { what: 'GET /api/v1/secrets p99', value: `${api200.p99} ms`, target: `≤ ${TARGETS.readP99Ms} ms`, ok: api200.p99 <= TARGETS.readP99Ms },
    {
      what: '304 path vs bare',
      value: `${(notModifiedRatio * 100).toFixed(1)}%`,
      target: `≥ ${TARGETS.notModifiedRatio * 100}%`,
      ok: notModifiedRatio >= TARGETS.notModifiedRatio,
    },
    {
      what: 'in-process getSecret (warm)',
      value: `${inProcess.usPerCall.toFixed(3)} µs`,
      target: `≤ ${TARGETS.getSecretUs} µs`,
      ok: inProcess.usPerCall <= TARGETS.getSecretUs,
    },
  ];

  console.log(`\nMedians of ${RUNS} runs (${DURATION} s, ${CONNECTIONS} connections, 127.0.0.1):`);
  console.log('| scenario | server | req/s | p50 ms | p99 ms |');
  console.log('| --- | --- | ---: | ---: | ---: |');
  for (const s of summary) console.log(`| ${s.name} | ${s.server} | ${Math.round(s.rps)} | ${s.p50} | ${s.p99} |`);
  console.log(`| getSecret (in-process, warm) | keyhold | ${Math.round(1e6 / inProcess.usPerCall)} calls/s | ${inProcess.usPerCall.toFixed(3)} µs/call | |`);
  console.log('\n| target | measured | goal | |');
  console.log('| --- | ---: | ---: | --- |');
  for (const c of checks) console.log(`| ${c.what} | ${c.value} | ${c.target} | ${c.ok ? 'ok' : 'MISSED'} |`);
  const missed = checks.filter((c) => !c.ok);
  console.log(missed.length ? `\n${missed.length} target(s) missed` : '\nall targets met');
  process.exit(missed.length ? 1 : 0);
}

main().catch((error) => {
  console.error(`bench/api failed: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
});
