#!/usr/bin/env node
// Several instances under mixed traffic (issue 8): a throwaway PostgreSQL
// cluster, two Keyhold instances on it (scripts/start.mjs: the entry users
// run), then --duration seconds (default 120) of traffic through both,
// alternating: 80% API reads, 15% writes (edits of the seeded secrets and
// creates of new ones), 5% redeploys (the redeploy server action, signed in
// as an owner). Bounded: --workers requests in flight (default 8), loopback
// only, a deadline, every process stopped on every exit path.
//
// Then the consistency check: every acknowledged create present exactly once
// with its value, every acknowledged edit a version (versions contiguous per
// secret), deployment numbers contiguous and all succeeded, and both instances
// serving the newest deployment. Prints requests, errors (must be 0: a 409 for
// a concurrent edit is an expected answer, not an error) and p99 per kind.
//
//   node bench/soak.mjs [--duration 120] [--workers 8]
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { arg, createHarness, freePort, lastJsonLine, root, signIn } from './harness.mjs';

const DURATION_S = arg('duration', 120);
const WORKERS = arg('workers', 8);
const OWNER = { email: 'soak-owner@keyhold.test', password: 'soak-owner-passw0rd!' };

const { databaseUrl, runNode, startServer } = await createHarness({
  name: 'soak',
  deadlineMs: (DURATION_S + 15 * 60) * 1000,
  postgres: true,
  env: { KEYHOLD_API_RATE_PER_TOKEN: '0', KEYHOLD_API_RATE_PER_IP: '0', KEYHOLD_DB_POOL_SIZE: '8' },
});

await runNode(['scripts/migrate.mjs', 'apply']);
const seed = lastJsonLine(await runNode(['--import', 'tsx', 'bench/api-seed.ts'], { BENCH_OWNER_EMAIL: OWNER.email, BENCH_OWNER_PASSWORD: OWNER.password }));

// The first instance builds when the sources changed; the second starts on that build.
const ready = async (url) => (await fetch(`${url}/api/ready`)).ok;
const instances = [];
const servers = [];
for (const what of ['instance A', 'instance B']) {
  const port = await freePort();
  servers.push(await startServer(['scripts/start.mjs'], port, { NEXTAUTH_URL: `http://127.0.0.1:${port}` }, ready, what));
  instances.push(`http://127.0.0.1:${port}`);
}

const cookie = await signIn(instances[0], OWNER);

const manifest = JSON.parse(fs.readFileSync(path.join(root, '.next/server/server-reference-manifest.json'), 'utf8'));
const redeployId = Object.entries(manifest.node).find(([, v]) => v.filename === 'lib/deploys/actions.ts' && v.exportedName === 'redeployAction')?.[0];
if (!redeployId) throw new Error('redeployAction not found in the build manifest');

const read = { authorization: `Bearer ${seed.token}` };
const write = { authorization: `Bearer ${seed.writeToken}`, 'content-type': 'application/json' };
const seeded = (await (await fetch(`${instances[0]}/api/v1/secrets/info`, { headers: write })).json()).secrets;

const latencies = { read: [], edit: [], create: [], redeploy: [] };
const counts = { requests: 0, errors: 0, conflicts: 0 };
const errorSamples = [];
const acknowledgedEdits = new Map(); // secret id → edits answered 200
const acknowledgedCreates = new Map(); // key → value
let sequence = 0;

async function timed(kind, request, ok) {
  const started = performance.now();
  let status = 0;
  try {
    const response = await request();
    status = response.status;
    const text = await response.text();
    latencies[kind].push(performance.now() - started);
    counts.requests++;
    if (status === 409 && kind === 'edit') counts.conflicts++;
    else if (!ok(response, text)) throw new Error(`HTTP ${status} ${text.slice(0, 120)}`);
    return response;
  } catch (error) {
    counts.errors++;
    if (errorSamples.length < 10) errorSamples.push(`${kind}: ${error.message}`);
    return null;
  }
}

async function operation(base) {
  const dice = Math.random();
  const n = sequence++;
  if (dice < 0.8) {
    await timed(
      'read',
      () => fetch(`${base}/api/v1/secrets`, { headers: read }),
      (r) => r.status === 200,
    );
  } else if (dice < 0.95) {
    if (n % 2) {
      const secret = seeded[n % seeded.length];
      const response = await timed(
        'edit',
        () => fetch(`${base}/api/v1/secrets/${secret.id}`, { method: 'PATCH', headers: write, body: JSON.stringify({ value: `edit-${n}` }) }),
        (r) => r.status === 200,
      );
      if (response?.status === 200) acknowledgedEdits.set(secret.id, (acknowledgedEdits.get(secret.id) ?? 0) + 1);
    } else {
      const key = `SOAK_${n}`;
      const response = await timed(
        'create',
        () => fetch(`${base}/api/v1/secrets`, { method: 'POST', headers: write, body: JSON.stringify({ name: key, value: `created-${n}` }) }),
        (r) => r.status === 201,
      );
      if (response) acknowledgedCreates.set(key, `created-${n}`);
    }
  } else {
    await redeploy(base);
  }
}

const redeploy = (base) =>
  timed(
    'redeploy',
    () =>
      fetch(`${base}/projects/${seed.slug}`, {
        method: 'POST',
        headers: { 'next-action': redeployId, origin: base, 'content-type': 'text/plain;charset=UTF-8', accept: 'text/x-component', cookie },
        body: JSON.stringify([seed.projectId, seed.environmentId]),
      }),
    // An action answers 200 with its result in the payload: the redeploy must say ok.
    (r, text) => r.status === 200 && text.includes('"ok":true') && text.includes('"SUCCEEDED"'),
  );

console.log(`bench/soak: PostgreSQL, 2 instances, ${WORKERS} requests in flight, ${DURATION_S} s of 80% reads / 15% writes / 5% redeploys`);
const end = Date.now() + DURATION_S * 1000;
await Promise.all(
  [...Array(WORKERS).keys()].map(async (worker) => {
    for (let i = worker; Date.now() < end; i++) await operation(instances[i % 2]);
  }),
);

// Consistency: a final redeploy, then the database and both instances.
await redeploy(instances[0]);
const problems = [];
const db = new pg.Client({ connectionString: databaseUrl });
await db.connect();
const versions = await db.query('SELECT "secretId", array_agg(version ORDER BY version) AS v FROM "SecretVersion" GROUP BY "secretId"');
const versionsOf = new Map(versions.rows.map((r) => [r.secretId, r.v]));
for (const [id, v] of versionsOf) if (v.some((x, i) => x !== i + 1)) problems.push(`versions of ${id} not contiguous: ${v.join(',')}`);
for (const secret of seeded) {
  const expected = 1 + (acknowledgedEdits.get(secret.id) ?? 0);
  if (versionsOf.get(secret.id)?.length !== expected) problems.push(`${secret.name}: ${versionsOf.get(secret.id)?.length} versions, ${expected} acknowledged`);
}
const deployments = (await db.query('SELECT number, status FROM "Deployment" WHERE "environmentId" = $1 ORDER BY number', [seed.environmentId])).rows;
if (deployments.some((d, i) => d.number !== i + 1)) problems.push('deployment numbers not contiguous');
if (deployments.some((d) => d.status !== 'SUCCEEDED')) problems.push('a deployment did not succeed');
await db.end();
const newest = deployments.at(-1)?.number;

const info = (await (await fetch(`${instances[1]}/api/v1/secrets/info`, { headers: write })).json()).secrets;
for (const [key] of acknowledgedCreates) {
  const found = info.filter((s) => s.name === key).length;
  if (found !== 1) problems.push(`${key} present ${found} times`);
}
for (const base of instances) {
  let served = null;
  for (let tries = 0; tries < 50; tries++) {
    const response = await fetch(`${base}/api/v1/secrets`, { headers: read });
    served = { number: Number(response.headers.get('x-keyhold-deployment')), secrets: (await response.json()).secrets };
    if (served.number === newest) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  if (served.number !== newest) problems.push(`${base} serves #${served.number}, newest is #${newest}`);
  for (const [key, value] of acknowledgedCreates) if (served.secrets[key] !== value) problems.push(`${base}: ${key} not served with its value`);
}

const p = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor(q * s.length))] : 0;
};
const all = Object.values(latencies).flat();
console.log('\n| kind | requests | p50 ms | p99 ms |');
console.log('| --- | ---: | ---: | ---: |');
for (const [kind, xs] of Object.entries(latencies)) console.log(`| ${kind} | ${xs.length} | ${p(xs, 0.5).toFixed(1)} | ${p(xs, 0.99).toFixed(1)} |`);
console.log(`| all | ${all.length} | ${p(all, 0.5).toFixed(1)} | ${p(all, 0.99).toFixed(1)} |`);
console.log(
  `\nrequests ${counts.requests}, errors ${counts.errors}, edit conflicts (409, expected) ${counts.conflicts}; ${acknowledgedCreates.size} creates, ${deployments.length} deployments`,
);
for (const sample of errorSamples) console.log(`  error: ${sample}`);
for (const problem of problems.slice(0, 20)) console.log(`  inconsistent: ${problem}`);
if (counts.errors)
  for (const server of servers)
    console.log(
      server
        .log()
        .split('\n')
        .filter((l) => l.includes('[keyhold]'))
        .slice(-10)
        .join('\n'),
    );
console.log(counts.errors === 0 && problems.length === 0 ? 'consistent, no errors' : `FAILED: ${counts.errors} errors, ${problems.length} inconsistencies`);
process.exit(counts.errors === 0 && problems.length === 0 ? 0 : 1);
