// A throwaway PostgreSQL cluster for tests and benchmarks (STACK-NOTES):
// initdb into a temporary folder outside the project, run as the `postgres`
// OS user when we are root (initdb and postgres refuse root), listening on
// 127.0.0.1 only on a free port, fsync off (tests only). `stop()` leaves the
// data (the outage test starts it again); `destroy()` stops and removes it.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const SUPERUSER = 'keyhold';

/** The folder holding initdb and pg_ctl, or null when PostgreSQL's server is not installed. */
export function postgresBin() {
  const base = '/usr/lib/postgresql';
  const versions = fs.existsSync(base) ? fs.readdirSync(base).filter((v) => fs.existsSync(path.join(base, v, 'bin/initdb'))) : [];
  versions.sort((a, b) => Number(b) - Number(a));
  return versions.length ? path.join(base, versions[0], 'bin') : null;
}

/**
 * Finds PostgreSQL's server binaries, installing Debian's `postgresql` package
 * when root; else returns null after printing one line saying what to install.
 */
export function ensurePostgres({ log = console.log } = {}) {
  let bin = postgresBin();
  if (bin) return bin;
  if (process.getuid?.() !== 0) {
    console.error("PostgreSQL's server is missing: run 'sudo apt-get install -y postgresql' (Debian) and try again.");
    return null;
  }
  log("PostgreSQL's server is missing: installing Debian's postgresql (apt-get, ~30 s).");
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [['update'], ['install', '-y', '--no-install-recommends', 'postgresql']]) {
    if (spawnSync('apt-get', args, { stdio: 'inherit', env }).status !== 0) return null;
  }
  bin = postgresBin();
  if (!bin) console.error("PostgreSQL's server is still missing after apt-get install postgresql.");
  return bin;
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * Creates and starts a cluster. Returns { url(db), port, start(), stop(), destroy() }.
 * url(name) is the connection URL of database `name` (default `postgres`).
 */
export async function startCluster({ bin = postgresBin(), port } = {}) {
  if (!bin) throw new Error('PostgreSQL server binaries not found');
  const root = process.getuid?.() === 0;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keyhold-pg-'));
  const data = path.join(dir, 'data');
  const socket = path.join(dir, 'socket');
  fs.mkdirSync(socket);
  if (root) {
    fs.chmodSync(dir, 0o755);
    execFileSync('chown', ['-R', 'postgres:postgres', dir]);
  }
  const as = (cmd, args) => (root ? ['runuser', ['-u', 'postgres', '--', path.join(bin, cmd), ...args]] : [path.join(bin, cmd), args]);
  const run = (cmd, args) => {
    const [file, argv] = as(cmd, args);
    const result = spawnSync(file, argv, { encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`${cmd} failed: ${(result.stderr || result.stdout).trim().split('\n').pop()}`);
  };
  run('initdb', ['-D', data, '-A', 'trust', '-U', SUPERUSER, '--no-sync', '-E', 'UTF8', '--locale=C']);
  port ??= await freePort();
  const options = [
    '-c listen_addresses=127.0.0.1',
    `-p ${port}`,
    `-k ${socket}`,
    '-c fsync=off',
    '-c synchronous_commit=off',
    '-c full_page_writes=off',
    '-c max_connections=300',
  ].join(' ');
  let running = false;
  const cluster = {
    port,
    url: (name = 'postgres') => `postgresql://${SUPERUSER}@127.0.0.1:${port}/${name}`,
    start() {
      run('pg_ctl', ['-D', data, '-o', options, '-l', path.join(dir, 'log'), '-w', '-t', '60', 'start']);
      running = true;
    },
    stop() {
      if (!running) return;
      running = false;
      run('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
    },
    destroy() {
      try {
        cluster.stop();
      } catch {
        /* already gone */
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  cluster.start();
  return cluster;
}
