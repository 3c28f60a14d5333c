// Starts Keyhold for the e2e tests exactly as `npm start` does
// (scripts/start.mjs: migrate, build if stale, server.ts), on a fresh
// database. Refuses any DATABASE_URL outside data/e2e, because it wipes it.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const e2eDir = path.join(root, 'data', 'e2e');
const SERVER_LOG = path.join(e2eDir, 'server.log');
const inside = (p) => p.startsWith(e2eDir + path.sep);

const url = process.env.DATABASE_URL ?? '';
const dbFile = url.startsWith('file:') ? path.resolve(root, url.slice('file:'.length).replace(/\?.*$/, '')) : '';
const dataDir = path.resolve(root, process.env.KEYHOLD_DATA_DIR ?? 'data');
if (!inside(dbFile) || !(dataDir === e2eDir || inside(dataDir))) {
  // Never echo DATABASE_URL: it may carry a password.
  console.error('[e2e] Refusing to run: DATABASE_URL must be a SQLite file under data/e2e/ and KEYHOLD_DATA_DIR must be data/e2e.');
  process.exit(1);
}

fs.rmSync(e2eDir, { recursive: true, force: true });
fs.mkdirSync(e2eDir, { recursive: true, mode: 0o700 });
console.log('[e2e] wiped data/e2e; starting the app with scripts/start.mjs');

// scripts/start.mjs (the same code path as `npm start`) in a child whose
// output is teed into data/e2e/server.log, so specs can prove that no value
// ever reaches the server's log (e2e/adversarial.spec.ts reads it).
const log = fs.createWriteStream(SERVER_LOG, { flags: 'a', mode: 0o600 });
const child = spawn(process.execPath, [path.join(root, 'scripts', 'start.mjs')], { stdio: ['ignore', 'pipe', 'pipe'] });
for (const [from, to] of [[child.stdout, process.stdout], [child.stderr, process.stderr]]) {
  from.on('data', (chunk) => {
    log.write(chunk);
    to.write(chunk);
  });
}
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => log.end(() => process.exit(code ?? (signal ? 1 : 0))));
