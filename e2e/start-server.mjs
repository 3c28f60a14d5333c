// Starts Keyhold for the e2e tests exactly as `npm start` does
// (scripts/start.mjs: migrate, build if stale, server.ts), on a fresh
// database. Refuses any database but its own throwaway one, because it wipes
// it: a SQLite file under data/e2e, or the database `keyhold_e2e` of a
// PostgreSQL cluster on this machine's loopback (the test cluster).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const e2eDir = path.join(root, 'data', 'e2e');
const SERVER_LOG = path.join(e2eDir, 'server.log');
const inside = (p) => p.startsWith(e2eDir + path.sep);
const PG_DATABASE = 'keyhold_e2e';

// Never echo DATABASE_URL: it may carry a password.
const refuse = (why) => {
  console.error(`[e2e] Refusing to run: ${why}`);
  process.exit(1);
};

const url = process.env.DATABASE_URL ?? '';
const dataDir = path.resolve(root, process.env.KEYHOLD_DATA_DIR ?? 'data');
if (!(dataDir === e2eDir || inside(dataDir))) refuse('KEYHOLD_DATA_DIR must be data/e2e.');

if (url.startsWith('postgres://') || url.startsWith('postgresql://')) {
  const target = new URL(url);
  const admin = process.env.KEYHOLD_TEST_PG_URL ? new URL(process.env.KEYHOLD_TEST_PG_URL) : null;
  const own = admin && target.hostname === '127.0.0.1' && admin.hostname === '127.0.0.1' && target.port === admin.port;
  if (!own || target.pathname !== `/${PG_DATABASE}`) {
    refuse(`a PostgreSQL DATABASE_URL must name the database ${PG_DATABASE} of the test cluster (KEYHOLD_TEST_PG_URL) on 127.0.0.1.`);
  }
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${PG_DATABASE} WITH (FORCE)`);
    await client.query(`CREATE DATABASE ${PG_DATABASE}`);
  } finally {
    await client.end();
  }
  console.log(`[e2e] recreated the PostgreSQL database ${PG_DATABASE}`);
} else {
  const dbFile = url.startsWith('file:') ? path.resolve(root, url.slice('file:'.length).replace(/\?.*$/, '')) : '';
  if (!inside(dbFile)) refuse("DATABASE_URL must be a SQLite file under data/e2e/ (or the test cluster's keyhold_e2e).");
}

fs.rmSync(e2eDir, { recursive: true, force: true });
fs.mkdirSync(e2eDir, { recursive: true, mode: 0o700 });
console.log('[e2e] wiped data/e2e; starting the app with scripts/start.mjs');

// scripts/start.mjs (the same code path as `npm start`) in a child whose
// output is teed into data/e2e/server.log, so specs can prove that no value
// ever reaches the server's log (e2e/adversarial.spec.ts reads it).
const log = fs.createWriteStream(SERVER_LOG, { flags: 'a', mode: 0o600 });
const child = spawn(process.execPath, [path.join(root, 'scripts', 'start.mjs')], { stdio: ['ignore', 'pipe', 'pipe'] });
for (const [from, to] of [
  [child.stdout, process.stdout],
  [child.stderr, process.stderr],
]) {
  from.on('data', (chunk) => {
    log.write(chunk);
    to.write(chunk);
  });
}
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => log.end(() => process.exit(code ?? (signal ? 1 : 0))));
