#!/usr/bin/env node
// Key rotation targets (issue 10), on a throwaway SQLite database:
//
//   re-wrap one project key under a new master key version      ≤ 20 µs per key
//   re-encrypt a project's secret versions (rotate-project)      ≥ 10,000 per second
//   API reads of a 10,000-version project during its rotation    p99 ≤ 20 ms, 0 errors
//
//   node bench/keys.mjs [--projects 2000] [--versions 10000] [--rate 200] [--postgres]
//
// Re-wrap is timed two ways: the cryptography alone (unwrap + wrap, in memory)
// and rotateMaster() end to end over --projects keys (its batches, audit events
// and writes included). Re-encryption times rotateProject() on --versions
// secret versions. The read test starts the real server (`node scripts/start.mjs`:
// migrations, `next build` when the sources changed, server.ts) on 127.0.0.1,
// sends GET /api/v1/secrets at a fixed --rate per second (open loop: each
// request is sent at its scheduled time whatever the previous ones did, and
// its latency counts from that time), with the default configuration, after a
// 2 s warm-up and a 3 s baseline, while `npm run keys -- rotate-project` runs as
// its own process. Bounded: loopback only, a 15-minute deadline, every process stopped
// on every exit path. Prints the load average beside the numbers (the machine
// is shared). Exits 1 when a target is missed or the benchmark fails.
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import os from 'node:os';
import { arg, createHarness, freePort, lastJsonLine } from './harness.mjs';

const PROJECTS = arg('projects', 2000);
const VERSIONS = arg('versions', 10_000);
const RATE = arg('rate', 200);
const TARGETS = { rewrapUs: 20, reencryptPerSecond: 10_000, readP99Ms: 20 };

const OLD = randomBytes(32).toString('base64');
const NEW = randomBytes(32).toString('base64');
const BOTH = `1:${OLD},2:${NEW}`;
// The harness gives a throwaway folder and SQLite file (or, with --postgres, a throwaway cluster).
const harness = await createHarness({
  name: 'keys',
  deadlineMs: 15 * 60_000,
  postgres: process.argv.includes('--postgres'),
  env: { KEYHOLD_MASTER_KEY: OLD, KEYHOLD_API_RATE_PER_TOKEN: '0', KEYHOLD_API_RATE_PER_IP: '0' },
});
const { env } = harness;

const runNode = async (args, extraEnv = {}) => harness.runNode(args, { ...env, ...extraEnv });
const work = async (verb, value, extraEnv) =>
  lastJsonLine(await runNode(['--import', 'tsx', 'bench/keys-work.ts', verb, ...(value === undefined ? [] : [String(value)])], extraEnv));
const startKeyhold = (port) =>
  harness.startServer(
    ['scripts/start.mjs'],
    port,
    { ...env, KEYHOLD_MASTER_KEY: BOTH },
    async (url) => (await fetch(`${url}/api/v1/openapi.json`)).ok,
    'Keyhold (scripts/start.mjs)',
  );

/** Open-loop reads at RATE/s until `until` settles; latency from each request's scheduled time. */
async function readWhile(port, token, until) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const latencies = [];
  const errors = [];
  let done = false;
  until.finally(() => (done = true));
  const inflight = new Set();
  const start = performance.now();
  for (let i = 0; !done; i++) {
    const scheduled = start + (i * 1000) / RATE;
    const wait = scheduled - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const request = new Promise((resolve) => {
      const req = http.get({ host: '127.0.0.1', port, path: '/api/v1/secrets', agent, headers: { authorization: `Bearer ${token}` } }, (res) => {
        res.resume();
        res.on('end', () => {
          if (res.statusCode === 200) latencies.push(performance.now() - scheduled);
          else errors.push(`status ${res.statusCode}`);
          resolve();
        });
      });
      req.on('error', (e) => {
        errors.push(e.code ?? e.message);
        resolve();
      });
    });
    inflight.add(request);
    request.finally(() => inflight.delete(request));
  }
  await Promise.all(inflight);
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const at = (q) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN;
  return { requests: latencies.length + errors.length, errors, p50: at(0.5), p99: at(0.99), max: latencies.at(-1) ?? NaN };
}

const load = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');

async function main() {
  console.log(`bench/keys: ${os.cpus().length} CPUs, node ${process.version}, load average ${load()}`);
  await runNode(['scripts/migrate.mjs', 'apply']);

  const crypto = await work('rewrap-crypto', 100_000);
  console.log(`re-wrap, cryptography only: ${crypto.usPerKey.toFixed(1)} µs per key (unwrap + wrap, ${crypto.keys} keys)`);
  await work('seed-projects', PROJECTS);
  const master = await work('rotate-master', undefined, { KEYHOLD_MASTER_KEY: BOTH });
  console.log(
    `re-wrap, rotate-master end to end: ${master.usPerKey.toFixed(1)} µs per key (${master.keys} keys in ${master.ms.toFixed(0)} ms, batches of 500, one audit event per project) · load ${load()}`,
  );

  const seeded = await work('seed-versions', VERSIONS, { KEYHOLD_MASTER_KEY: BOTH });
  const rotation = await work('rotate-project', seeded.slug, { KEYHOLD_MASTER_KEY: BOTH });
  console.log(
    `re-encryption: ${Math.round(rotation.perSecond).toLocaleString('en-US')} secret versions per second (${rotation.blobs} blobs in ${rotation.seconds.toFixed(2)} s, counting and checks included) · load ${load()}`,
  );

  const port = await freePort();
  console.log('starting Keyhold (node scripts/start.mjs: builds first when the sources changed)…');
  await startKeyhold(port);
  await readWhile(port, seeded.token, new Promise((r) => setTimeout(r, 2000))); // warm-up (JIT, caches)
  const warm = await readWhile(port, seeded.token, new Promise((r) => setTimeout(r, 3000)));
  console.log(`reads without rotation (${RATE}/s, 3 s): p50 ${warm.p50.toFixed(1)} ms, p99 ${warm.p99.toFixed(1)} ms, ${warm.errors.length} errors`);
  const rotating = runNode(['--import', 'tsx', 'scripts/keys.ts', 'rotate-project', seeded.slug], { KEYHOLD_MASTER_KEY: BOTH, NODE_ENV: 'production' });
  const during = await readWhile(port, seeded.token, rotating);
  console.log(
    `reads during rotate-project of ${VERSIONS.toLocaleString('en-US')} versions (${RATE}/s, ${during.requests} requests): p50 ${during.p50.toFixed(1)} ms, p99 ${during.p99.toFixed(1)} ms, max ${during.max.toFixed(1)} ms, ${during.errors.length} errors · load ${load()}`,
  );

  const results = [
    ['re-wrap per key (cryptography)', crypto.usPerKey <= TARGETS.rewrapUs, `${crypto.usPerKey.toFixed(1)} µs ≤ ${TARGETS.rewrapUs} µs`],
    ['re-wrap per key (rotate-master end to end)', master.usPerKey <= TARGETS.rewrapUs, `${master.usPerKey.toFixed(1)} µs ≤ ${TARGETS.rewrapUs} µs`],
    ['re-encryption rate', rotation.perSecond >= TARGETS.reencryptPerSecond, `${Math.round(rotation.perSecond)} ≥ ${TARGETS.reencryptPerSecond}/s`],
    [
      'API read p99 during rotation',
      during.p99 <= TARGETS.readP99Ms && during.errors.length === 0,
      `p99 ${during.p99.toFixed(1)} ms ≤ ${TARGETS.readP99Ms} ms, ${during.errors.length} errors`,
    ],
  ];
  for (const [name, ok, detail] of results) console.log(`${ok ? 'PASS' : 'MISS'} ${name}: ${detail}`);
  process.exit(results.every(([, ok]) => ok) ? 0 : 1);
}

main().catch((error) => {
  console.error(`bench/keys: ${error.message}`);
  process.exit(1);
});
