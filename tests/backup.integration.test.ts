// Backups through the real commands (child processes): a backup taken while
// writes happen, restored into a fresh database, holds consistent rows whose
// values decrypt as in the source and which the API serves identically;
// restore refuses a non-empty database; backup --verify catches a flipped byte,
// a missing master key version and a tampered blob. On both providers: the
// restore targets are fresh databases of this file's provider (a new SQLite
// file, or a new database in the PostgreSQL test cluster).
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { RateLimiterPostgres } from 'rate-limiter-flexible';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { readManifest } from '@/lib/backup/archive';
import { createDatabaseClient, db, provider } from '@/lib/db';
import { RATE_LIMIT_TABLE } from '@/lib/db-providers.mjs';
import type { PrismaClient } from '@/lib/generated/prisma/client';
import { authorizedChangeSecret } from '@/lib/secrets/authorized';
import { deploySecrets, makeToken } from './support/cli-server';
import { migrateTestDatabase } from './support/db';
import { createTestDatabase, testClusterUrl } from './support/postgres';
import { decryptAll, fillProject, ROOT, runScript, type FilledProject } from './support/key-fixtures';

// Each case runs the real commands as child processes (tsx start-up, several per case): on a busy
// 2-core machine that takes far longer than the default 30 s, so every case here gets room.
vi.setConfig({ testTimeout: 300_000, hookTimeout: 300_000 });

const WRITER = { userId: null, label: 'backup test writer', ip: null };
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keyhold-backup-test-'));
const children: ChildProcess[] = [];
const clients: PrismaClient[] = [];

let alpha: FilledProject;
let beta: FilledProject;
const tokens: string[] = [];

beforeAll(async () => {
  await migrateTestDatabase();
  alpha = await fillProject('Backup alpha', 120, 2);
  beta = await fillProject('Backup beta', 30, 3);
  for (const p of [alpha, beta]) tokens.push(await makeToken(p.projectId, p.environments.production));
}, 300_000);

afterAll(async () => {
  for (const child of children) child.kill();
  for (const client of clients) await client.$disconnect();
  fs.rmSync(dir, { recursive: true, force: true });
});

const file = (name: string) => path.join(dir, name);
/** This file's own database (setup-env.ts): the source of every backup. */
const SOURCE_URL = process.env.DATABASE_URL!;
const backup = (args: string[], env: Record<string, string> = {}) => runScript('scripts/backup.ts', args, { env });
const restore = (archive: string, databaseUrl: string, env: Record<string, string> = {}) =>
  runScript('scripts/backup.ts', ['--restore', archive], { env: { DATABASE_URL: databaseUrl, ...env } });

/** A fresh, empty database of this file's provider to restore into; returns its DATABASE_URL. */
const freshDatabase = async (name: string): Promise<string> => (provider === 'postgresql' ? createTestDatabase('restore') : `file:${file(`${name}.db`)}`);

/** A client on another database, with its provider's adapter (as the app builds its own). */
function openDatabase(databaseUrl: string): PrismaClient {
  const client = createDatabaseClient(databaseUrl);
  clients.push(client);
  return client;
}

/** The API handler in its own process on another database; resolves to its URL. */
function startApiOn(databaseUrl: string): Promise<string> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'tests/support/api-child.ts')], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: databaseUrl },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      if (out.includes('\n')) resolve((JSON.parse(out.split('\n')[0]) as { url: string }).url);
    });
    child.on('exit', (code) => reject(new Error(`the API process exited with ${code}`)));
  });
}

/** PostgreSQL: the scratch databases `backup --verify` restores into (each is dropped when it is done). */
async function verifyScratchDatabases(): Promise<string[]> {
  if (provider !== 'postgresql') return [];
  const client = new pg.Client({ connectionString: testClusterUrl() });
  await client.connect();
  try {
    const { rows } = await client.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE 'keyhold\\_verify\\_%'`);
    return rows.map((r) => r.datname);
  } finally {
    await client.end();
  }
}

async function readApi(url: string, token: string) {
  const res = await fetch(`${url}/api/v1/secrets`, { headers: { authorization: `Bearer ${token}` } });
  return { status: res.status, deployment: res.headers.get('x-keyhold-deployment'), etag: res.headers.get('etag'), body: await res.text() };
}

describe('backup and restore', () => {
  it('a backup taken during writes restores into a fresh database: consistent rows, same values, same API answers', async () => {
    const before = await decryptAll(alpha.projectId);
    const secrets = await db.secret.findMany({ where: { projectId: alpha.projectId }, select: { id: true, key: true } });
    let writing = true;
    let writes = 0;
    const failures: string[] = [];
    const writer = (async () => {
      const current = new Map(alpha.production);
      while (writing) {
        await new Promise(setImmediate); // better-sqlite3 answers synchronously: let the child's output through
        const secret = secrets[writes % secrets.length];
        try {
          await authorizedChangeSecret(WRITER, { projectId: alpha.projectId }, secret.id, { value: `during-backup-${writes}` });
          current.set(secret.key, `during-backup-${writes}`);
          if (writes % 10 === 9) await deploySecrets(alpha.projectId, alpha.environments.production, current);
          writes++;
        } catch (error) {
          failures.push((error as Error).name);
        }
      }
    })();
    const made = await backup([file('during.khb')]);
    writing = false;
    await writer;
    expect(made.stderr).toBe('');
    expect(made.code).toBe(0);
    expect(made.stdout).toMatch(new RegExp(`^Backup written to .*during\\.khb \\([\\d,]+ bytes of ${provider}, migration \\d+_\\w+\\)\\.$`, 'm'));
    expect(made.stdout).toContain('A restore needs master key version 1. The backup holds only ciphertext: keep it apart from the master key.');
    expect(failures).toEqual([]);
    expect(writes).toBeGreaterThan(0);

    const restoredUrl = await freshDatabase('restored');
    const restored = await restore(file('during.khb'), restoredUrl);
    expect(restored.stderr).toBe('');
    expect(restored.code).toBe(0);
    expect(restored.stdout).toMatch(/Every project key and all [\d,]+ blobs decrypt with the configured master keys\.\n$/);

    // Consistent: every secret's current version is there; every value (all versions, every deployment) equals the source's.
    const copy = openDatabase(restoredUrl);
    const source = await decryptAll(alpha.projectId);
    const copied = await decryptAll(alpha.projectId, copy);
    for (const key of before.keys()) expect(copied.has(key)).toBe(true);
    for (const [key, value] of copied) expect(value).toBe(source.get(key));
    for (const s of await copy.secret.findMany({ where: { projectId: alpha.projectId }, select: { id: true, currentVersion: true } })) {
      expect(copied.has(`${s.id}/${s.currentVersion}`)).toBe(true);
    }
    const betaCopy = await decryptAll(beta.projectId, copy);
    expect(betaCopy).toEqual(await decryptAll(beta.projectId));

    // The API on the restored database serves each environment's live deployment as the source served that deployment.
    const restoredApi = await startApiOn(restoredUrl);
    for (const [i, project] of [alpha, beta].entries()) {
      const live = await copy.deployment.findFirstOrThrow({
        where: { environmentId: project.environments.production, status: 'SUCCEEDED' },
        orderBy: { number: 'desc' },
        select: { id: true, number: true },
      });
      const answer = await readApi(restoredApi, tokens[i]);
      expect(answer.status).toBe(200);
      expect(answer.deployment).toBe(String(live.number));
      const sourceSnapshot = JSON.parse(source.get(`deployment/${live.id}`) ?? (await decryptAll(project.projectId)).get(`deployment/${live.id}`)!) as [
        string,
        string,
      ][];
      expect(JSON.parse(answer.body).secrets).toEqual(Object.fromEntries(sourceSnapshot));
    }
  }, 300_000);

  it('once writes stop, the source and the restored database answer the API byte for byte the same', async () => {
    const made = await backup([file('quiet.khb')]);
    expect(made.code).toBe(0);
    const restoredUrl = await freshDatabase('quiet');
    const restored = await restore(file('quiet.khb'), restoredUrl);
    expect(restored.stderr).toBe('');
    expect(restored.code).toBe(0);
    const [sourceApi, restoredApi] = await Promise.all([startApiOn(SOURCE_URL), startApiOn(restoredUrl)]);
    for (const token of tokens) {
      const [a, b] = await Promise.all([readApi(sourceApi, token), readApi(restoredApi, token)]);
      expect(a.status).toBe(200);
      expect(b).toEqual(a);
    }
  }, 300_000);

  // /dev/shm is a memory filesystem on Linux: a temp folder there is on another filesystem than the database.
  const otherFilesystem = ['/dev/shm'].find((d) => fs.existsSync(d) && fs.statSync(d).dev !== fs.statSync(dir).dev);

  it.runIf(provider === 'sqlite' && otherFilesystem)(
    'restores a SQLite database when the temp folder is on another filesystem',
    async () => {
      const tmp = fs.mkdtempSync(path.join(otherFilesystem!, 'keyhold-tmp-'));
      try {
        expect((await backup([file('other-filesystem.khb')])).code).toBe(0);
        const restoredUrl = await freshDatabase('other-filesystem');
        const restored = await restore(file('other-filesystem.khb'), restoredUrl, { TMPDIR: tmp });
        expect(restored.stderr).toBe('');
        expect(restored.code).toBe(0);
        expect(await openDatabase(restoredUrl).project.count()).toBe(await db.project.count());
        // Nothing staged is left beside the database.
        expect(fs.readdirSync(dir).filter((name) => name.includes('restoring'))).toEqual([]);
      } finally {
        fs.rmSync(tmp, { recursive: true, force: true });
      }
    },
    300_000,
  );

  it.runIf(provider === 'postgresql')(
    'leaves the rate limits out of a backup; a restore works beside a limits table of its own',
    async () => {
      // The source counted an attempt (its table exists), and so did an instance started on the empty target.
      const limits = (url: string) => {
        const pool = new pg.Pool({ connectionString: url, max: 1 });
        return new Promise<{ consume(key: string): Promise<unknown>; end(): Promise<void> }>((resolve, reject) => {
          const limiter = new RateLimiterPostgres(
            { storeClient: pool, tableName: RATE_LIMIT_TABLE, keyPrefix: 'backup-test', points: 5, duration: 60 },
            (error?: Error) => (error ? reject(error) : resolve({ consume: (key) => limiter.consume(key), end: () => pool.end() })),
          );
        });
      };
      const source = await limits(SOURCE_URL);
      await source.consume('source-address');
      await source.end();
      const made = await backup([file('limits.khb')]);
      expect(made.code).toBe(0);
      expect(Object.keys(readManifest(file('limits.khb')).manifest.rowCounts)).not.toContain(RATE_LIMIT_TABLE);

      const restoredUrl = await freshDatabase('limits');
      const target = await limits(restoredUrl);
      await target.consume('target-address');
      await target.end();
      const restored = await restore(file('limits.khb'), restoredUrl);
      expect(restored.stderr).toBe('');
      expect(restored.code).toBe(0);
      const client = new pg.Client({ connectionString: restoredUrl });
      await client.connect();
      try {
        const { rows } = await client.query<{ key: string }>(`SELECT key FROM ${RATE_LIMIT_TABLE}`);
        expect(rows.map((r) => r.key)).toEqual(['backup-test:target-address']);
        expect(Number((await client.query('SELECT COUNT(*) AS n FROM "Project"')).rows[0].n)).toBe(await db.project.count());
      } finally {
        await client.end();
      }
    },
    300_000,
  );

  it('refuses to overwrite an existing backup file in one line, unless --force; the manifest lists the versions in the dump', async () => {
    const existing = file('quiet.khb');
    const before = fs.readFileSync(existing);
    const refused = await backup([existing]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe(`backup: ${existing} already exists: choose another file, or pass --force to overwrite it\n`);
    expect(fs.readFileSync(existing).equals(before)).toBe(true);

    const forced = await backup(['--force', file('forced.khb')]);
    expect(forced.code).toBe(0);
    const again = await backup(['--force', file('forced.khb')]);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('A restore needs master key version 1.');
    expect(fs.existsSync(`${file('forced.khb')}.partial`)).toBe(false);
  }, 300_000);

  it('restore refuses a database that is not empty, naming what it found, and changes nothing', async () => {
    const projects = await db.project.count();
    const result = await restore(file('quiet.khb'), SOURCE_URL);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(new RegExp(`^restore: the database already has ${projects} projects, .*: restore only into an empty database\\n$`));
    expect(await db.project.count()).toBe(projects);
  }, 300_000);

  it('backup --verify passes an intact backup and names what is wrong with a damaged one', async () => {
    const good = await backup(['--verify', file('quiet.khb')]);
    expect(good.stderr).toBe('');
    expect(good.code).toBe(0);
    expect(good.stdout).toMatch(/quiet\.khb: checksums match \(Keyhold \d+\.\d+\.\d+, .*\)\.\nEvery project key and all [\d,]+ blobs decrypt/);

    // One flipped byte in the database dump.
    const bytes = fs.readFileSync(file('quiet.khb'));
    bytes[bytes.length - 5000] ^= 0x01;
    fs.writeFileSync(file('flipped.khb'), bytes);
    const flipped = await backup(['--verify', file('flipped.khb')]);
    expect(flipped.code).toBe(1);
    expect(flipped.stderr).toBe(`backup: ${file('flipped.khb')}: the database dump fails its checksum (the file was altered or damaged)\n`);

    // A PostgreSQL backup is verified in a scratch database on the server of DATABASE_URL, so that must be PostgreSQL; a SQLite one needs no server.
    if (provider === 'postgresql') {
      const noServer = await backup(['--verify', file('quiet.khb')], { DATABASE_URL: `file:${file('elsewhere.db')}` });
      expect(noServer.code).toBe(1);
      expect(noServer.stderr).toBe(
        'backup: this is a postgresql backup: --verify restores it into a scratch database on the PostgreSQL server of DATABASE_URL, which points at sqlite\n',
      );
    } else {
      const noServer = await backup(['--verify', file('quiet.khb')], { DATABASE_URL: 'postgresql://keyhold@127.0.0.1:1/none' });
      expect(noServer.stderr).toBe('');
      expect(noServer.code).toBe(0);
    }

    // The master key version it needs is not configured.
    const otherKey = await backup(['--verify', file('quiet.khb')], { KEYHOLD_MASTER_KEY: `2:${randomBytes(32).toString('base64')}` });
    expect(otherKey.code).toBe(1);
    expect(otherKey.stderr).toBe('backup: this backup needs master key version 1, which KEYHOLD_MASTER_KEY does not list\n');

    // A blob altered in the database before the backup: the checksums match, the decryption names it.
    const secret = await db.secret.findFirstOrThrow({ where: { projectId: beta.projectId, key: 'KEY_7' }, select: { id: true } });
    const row = await db.secretVersion.findFirstOrThrow({ where: { secretId: secret.id, version: 1 } });
    const blob = Buffer.from(row.blob);
    blob[blob.length - 1] ^= 0x80;
    await db.secretVersion.update({ where: { id: row.id }, data: { blob } });
    expect((await backup([file('tampered.khb')])).code).toBe(0);
    const tampered = await backup(['--verify', file('tampered.khb')]);
    expect(tampered.code).toBe(1);
    expect(tampered.stdout).toContain('  integrity check failed: secret KEY_7 (production) version 1');
    expect(tampered.stderr).toBe('backup: the backup failed verification: 1 integrity failure, 0 tables with other row counts\n');
    // PostgreSQL: every verification (passed or failed) dropped its scratch database.
    expect(await verifyScratchDatabases()).toEqual([]);
  }, 300_000);
});
