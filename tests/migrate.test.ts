import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { applyMigrations } from '@/lib/migrate.mjs';
import { newMigration } from '../scripts/migrate.mjs';
import { createTestDatabase, testClusterUrl } from './support/postgres';

// lib/migrate.mjs (the CLI: scripts/migrate.mjs) runs Prisma's schema engine (WebAssembly) on real SQLite
// files in a temporary folder. The repository's own prisma folder is only read:
// `new` always runs on a copy of it.
const root = path.resolve(__dirname, '..');
const script = path.join(root, 'scripts/migrate.mjs');
const realMigrations = path.join(root, 'prisma/migrations');
const migrationNames = fs
  .readdirSync(realMigrations, { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .map((e) => e.name)
  .sort();
const models = [...fs.readFileSync(path.join(root, 'prisma/schema.prisma'), 'utf8').matchAll(/^model (\w+) \{/gm)].map((m) => m[1]);

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'keyhold-migrate-'));
});
afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

function query<T>(file: string, sql: string): T[] {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare(sql).all() as T[];
  } finally {
    db.close();
  }
}

/** Every file under dir with its content, to prove a folder was left untouched. */
function snapshot(dir: string): Record<string, string> {
  const files = fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
  return Object.fromEntries(files.map((e) => [path.relative(dir, path.join(e.parentPath, e.name)), fs.readFileSync(path.join(e.parentPath, e.name), 'utf8')]));
}

/** A scratch copy of the repository's prisma folder (schema, migrations, previous schema). */
function copyPrismaFolder(name: string): string {
  const dir = path.join(tmp, name);
  fs.cpSync(path.join(root, 'prisma'), dir, { recursive: true });
  return dir;
}

describe('scripts/migrate.mjs apply', () => {
  let file: string;
  const lines: string[] = [];
  const log = (line: string) => lines.push(line);

  beforeAll(() => {
    file = path.join(tmp, 'apply', 'data', 'keyhold.db'); // parent folders do not exist yet
  });

  it('has a first migration and a lock file to apply', () => {
    expect(migrationNames.length).toBeGreaterThan(0);
    expect(fs.readFileSync(path.join(realMigrations, 'migration_lock.toml'), 'utf8')).toMatch(/provider = "sqlite"/);
  });

  it('creates every model table and one _prisma_migrations row per migration', async () => {
    const result = await applyMigrations({ databaseUrl: `file:${file}`, migrationsDir: realMigrations, log });

    expect(result).toEqual({ applied: migrationNames, total: migrationNames.length });
    expect(lines).toEqual([`Applied: ${migrationNames.join(', ')}`]);
    expect(fs.statSync(path.dirname(file)).mode & 0o777).toBe(0o700);

    const tables = query<{ name: string }>(file, "SELECT name FROM sqlite_master WHERE type = 'table'").map((t) => t.name);
    expect(tables).toEqual(expect.arrayContaining([...models, '_prisma_migrations']));

    const rows = query<{ migration_name: string; checksum: string; finished_at: string | null; rolled_back_at: string | null; applied_steps_count: number }>(
      file,
      'SELECT * FROM _prisma_migrations ORDER BY migration_name',
    );
    expect(rows.map((r) => r.migration_name)).toEqual(migrationNames);
    for (const row of rows) {
      expect(row.finished_at).not.toBeNull();
      expect(row.rolled_back_at).toBeNull();
      // Prisma's own checksum (SHA-256 of migration.sql): what `prisma migrate deploy` compares.
      const sql = fs.readFileSync(path.join(realMigrations, row.migration_name, 'migration.sql'));
      expect(row.checksum).toBe(createHash('sha256').update(sql).digest('hex'));
    }
  });

  it('leaves the database in WAL mode', () => {
    const db = new Database(file);
    try {
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    } finally {
      db.close();
    }
  });

  it('applies nothing the second time', async () => {
    lines.length = 0;
    const result = await applyMigrations({ databaseUrl: `file:${file}`, migrationsDir: realMigrations, log });

    expect(result).toEqual({ applied: [], total: migrationNames.length });
    expect(lines).toEqual([expect.stringMatching(new RegExp(`^Database up to date \\(${migrationNames.length} migrations?\\)$`))]);
    expect(query(file, 'SELECT * FROM _prisma_migrations')).toHaveLength(migrationNames.length);
  });

  it('runs as a CLI: one line out, exit 0; one line on failure, exit 1', () => {
    const run = (url: string) => spawnSync(process.execPath, [script, 'apply'], { cwd: root, env: { ...process.env, DATABASE_URL: url }, encoding: 'utf8' });

    const ok = run(`file:${path.join(tmp, 'cli', 'keyhold.db')}`);
    expect(ok.status).toBe(0);
    expect(ok.stdout.trim().split('\n')).toEqual([`Applied: ${migrationNames.join(', ')}`]);

    const bad = run('mysql://keyhold:hunter2@localhost/keyhold');
    expect(bad.status).toBe(1);
    expect(bad.stderr.trim().split('\n')).toEqual([
      'migrate apply failed: DATABASE_URL must be a file: URL (SQLite) or a postgresql:// URL (PostgreSQL); got "mysql:"',
    ]);

    const unreachable = run(`postgresql://keyhold:hunter2@127.0.0.1:1/keyhold`);
    expect(unreachable.status).toBe(1);
    expect(unreachable.stderr.trim().split('\n')).toEqual(['migrate apply failed: cannot reach PostgreSQL at DATABASE_URL (ECONNREFUSED)']);
    expect(unreachable.stderr).not.toContain('hunter2');
  });
});

describe('scripts/migrate.mjs new', () => {
  it('writes nothing when the schema matches the kept previous schema', async () => {
    // Fails too when prisma/schema.prisma was changed without `npm run migrate:new <name>`.
    const prismaDir = copyPrismaFolder('unchanged');
    const before = snapshot(prismaDir);
    const lines: string[] = [];

    const folders = await newMigration({ name: 'nothing', prismaDir, log: (line: string) => lines.push(line) });

    expect(folders).toEqual({ sqlite: null, postgresql: null });
    expect(lines).toEqual(['No schema changes (sqlite)', 'No schema changes (postgresql)']);
    expect(snapshot(prismaDir)).toEqual(before);
  });

  it('writes a migration for a schema change that applies on top of the existing ones', async () => {
    const prismaDir = copyPrismaFolder('changed');
    const schemaFile = path.join(prismaDir, 'schema.prisma');
    fs.appendFileSync(schemaFile, '\nmodel ScratchNote {\n  id   String @id\n  text String\n}\n');

    const folders = await newMigration({ name: 'Add scratch note', prismaDir, log: () => {} });

    // One command writes the twin for each provider, under the same name.
    const folder = folders.sqlite;
    expect(folder).toMatch(/^\d{14}_add_scratch_note$/);
    expect(folders.postgresql).toBe(folder);
    const sql = fs.readFileSync(path.join(prismaDir, 'migrations', folder!, 'migration.sql'), 'utf8');
    expect(sql).toContain('CREATE TABLE "ScratchNote"');
    expect(sql).not.toContain('CREATE TABLE "User"'); // only the difference
    const pgSql = fs.readFileSync(path.join(prismaDir, 'migrations-postgresql', folder!, 'migration.sql'), 'utf8');
    expect(pgSql).toContain('CONSTRAINT "ScratchNote_pkey" PRIMARY KEY ("id")'); // PostgreSQL's dialect
    expect(pgSql).not.toContain('CREATE TABLE "User"');
    expect(fs.readFileSync(path.join(prismaDir, 'migrations', 'schema.prisma.previous'), 'utf8')).toBe(fs.readFileSync(schemaFile, 'utf8'));
    expect(fs.readFileSync(path.join(prismaDir, 'migrations-postgresql', 'schema.prisma.previous'), 'utf8')).toMatch(/provider = "postgresql"/);
    expect(await newMigration({ name: 'again', prismaDir, log: () => {} })).toEqual({ sqlite: null, postgresql: null });

    const file = path.join(tmp, 'changed.db');
    const migrationsDir = path.join(prismaDir, 'migrations');
    await applyMigrations({ databaseUrl: `file:${file}`, migrationsDir: realMigrations, log: () => {} });
    const result = await applyMigrations({ databaseUrl: `file:${file}`, migrationsDir, log: () => {} });
    expect(result.applied).toEqual([folder]);
    expect(query(file, "SELECT name FROM sqlite_master WHERE name = 'ScratchNote'")).toHaveLength(1);

    if (!testClusterUrl()) return;
    const pgUrl = await createTestDatabase('migrate');
    await applyMigrations({ databaseUrl: pgUrl, migrationsDir: path.join(root, 'prisma/migrations-postgresql'), log: () => {} });
    const pgResult = await applyMigrations({ databaseUrl: pgUrl, migrationsDir: path.join(prismaDir, 'migrations-postgresql'), log: () => {} });
    expect(pgResult.applied).toEqual([folder]);
  });

  it('gives a provider whose folder is already up to date nothing, and the other its twin (a merged branch)', async () => {
    const prismaDir = copyPrismaFolder('merged');
    const schemaFile = path.join(prismaDir, 'schema.prisma');
    fs.appendFileSync(schemaFile, '\nmodel MergedNote {\n  id String @id\n}\n');
    // The branch brought its SQLite migration and previous schema, but no PostgreSQL twin.
    fs.writeFileSync(path.join(prismaDir, 'migrations', 'schema.prisma.previous'), fs.readFileSync(schemaFile, 'utf8'));

    const folders = await newMigration({ name: 'merged note', prismaDir, log: () => {} });

    expect(folders.sqlite).toBeNull();
    expect(folders.postgresql).toMatch(/^\d{14}_merged_note$/);
    expect(fs.readFileSync(path.join(prismaDir, 'migrations-postgresql', folders.postgresql!, 'migration.sql'), 'utf8')).toContain('CREATE TABLE "MergedNote"');
  });
});

describe.runIf(testClusterUrl())('scripts/migrate.mjs apply on PostgreSQL', () => {
  const pgMigrations = path.join(root, 'prisma/migrations-postgresql');
  const pgNames = fs
    .readdirSync(pgMigrations, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();

  it('creates every model table once, even when two instances start together', async () => {
    const url = await createTestDatabase('migrate');
    const results = await Promise.all([1, 2].map(() => applyMigrations({ databaseUrl: url, log: () => {} })));
    expect(results.map((r) => r.applied).sort((a, b) => b.length - a.length)).toEqual([pgNames, []]);

    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const tables = (await client.query("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")).rows.map((r) => r.tablename);
      expect(tables).toEqual(expect.arrayContaining([...models, '_prisma_migrations']));
      const rows = (await client.query('SELECT migration_name, checksum FROM _prisma_migrations ORDER BY migration_name')).rows;
      expect(rows.map((r) => r.migration_name)).toEqual(pgNames);
      for (const row of rows) {
        const sql = fs.readFileSync(path.join(pgMigrations, row.migration_name, 'migration.sql'));
        expect(row.checksum).toBe(createHash('sha256').update(sql).digest('hex'));
      }
    } finally {
      await client.end();
    }
  });
});
