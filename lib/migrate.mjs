// Prisma migrations without Prisma's binary host (STACK-NOTES): Prisma's
// schema engine runs as WebAssembly (@prisma/schema-engine-wasm, an internal
// API: pinned exactly) through a driver adapter. Folders and the
// _prisma_migrations table are Prisma's own, so `prisma migrate deploy`
// accepts them too. Paths are relative to the cwd. Applying is what the app
// needs (`npm start`, restore); scripts/migrate.mjs is the CLI over it and
// also writes new migrations. Plain ESM with relative imports: node runs it
// without a bundler.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import pg from 'pg';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';
import { PROVIDERS, providerOf, unsupportedUrlMessage } from './db-providers.mjs';

const DEFAULT_URL = 'file:./data/keyhold.db';
export const NO_FILTERS = { externalTables: [], externalEnums: [] };

// How to reach each provider (lib/db-providers.mjs knows which URL is which).
export function database(url) {
  const provider = providerOf(url);
  if (provider === 'sqlite') {
    const file = url === 'file::memory:' ? ':memory:' : path.resolve(url.slice(5).replace(/\?.*$/, ''));
    return {
      provider,
      factory: new PrismaBetterSqlite3({ url: file, timeout: 5000 }),
      async prepare() {
        fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
        const db = new Database(file); // WAL persists in the file: the app's connections get it too
        try {
          db.pragma('journal_mode = WAL');
        } finally {
          db.close();
        }
        // Owner-only, like the keys beside it; SQLite gives -wal/-shm the same mode.
        if (file !== ':memory:') fs.chmodSync(file, 0o600);
      },
    };
  }
  if (provider === 'postgresql') {
    return {
      provider,
      factory: new PrismaPg({ connectionString: url, max: 2 }),
      // The engine itself holds pg_advisory_lock(72707369) while applying, so
      // instances starting together apply each migration once. Check first that
      // the server answers, for one clear line (the URL holds a password: never print it).
      async prepare() {
        const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
        try {
          await client.connect();
          await client.query('SELECT 1');
        } catch (error) {
          throw new Error(`cannot reach PostgreSQL at DATABASE_URL (${error.code ?? error.message})`);
        } finally {
          await client.end().catch(() => undefined);
        }
      },
    };
  }
  throw new Error(unsupportedUrlMessage(url));
}

// A Rust panic traps the wasm and leaves its message here (Prisma's CLI sets
// the same global); without it the panic hides behind a TypeError.
globalThis.PRISMA_WASM_PANIC_REGISTRY ??= {
  message: '',
  set_message(m) {
    this.message = m;
  },
};

// The package's entry does `import * as wasm from './x.wasm'`, which Node 20
// cannot load, so instantiate the module by hand as that entry would (once).
let enginePromise;
function loadEngine() {
  enginePromise ??= (async () => {
    const bgJs = createRequire(import.meta.url).resolve('@prisma/schema-engine-wasm/schema_engine_bg');
    const bg = await import(pathToFileURL(bgJs).href);
    const { instance } = await WebAssembly.instantiate(fs.readFileSync(bgJs.replace(/\.js$/, '.wasm')), { './schema_engine_bg.js': bg });
    bg.__wbg_set_wasm(instance.exports);
    instance.exports.__wbindgen_start();
    return bg.SchemaEngine;
  })();
  return enginePromise;
}

// Run fn(engine) and clean up. engine.free() leaves the adapter's connections
// open (a second engine in one process then hit SQLITE_BUSY), so track them.
export async function withEngine(factory, fn) {
  const SchemaEngine = await loadEngine();
  const open = [];
  const keep = async (connecting) => {
    const c = await connecting;
    open.push(c);
    return c;
  };
  const adapter = bindMigrationAwareSqlAdapterFactory({
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: () => keep(factory.connect()),
    connectToShadowDb: () => keep(factory.connectToShadowDb()),
  });
  const debug = (line) => process.env.DEBUG && console.error(line); // the engine's JSON log lines
  let engine;
  try {
    // No datamodels: apply and diff take their schemas from their own inputs.
    engine = await SchemaEngine.new({ datamodels: undefined }, debug, adapter);
    return await fn(engine);
  } catch (error) {
    // Adapter errors the engine cannot name: SQLITE_BUSY maps to a kind the
    // engine lacks ("unknown variant `SocketTimeout`"); other JS errors come back
    // as "External error id#N" with the original kept in the registry.
    const message = String(error?.message);
    const id = /External error id#(\d+)/.exec(message)?.[1];
    const cause = id && adapter.errorRegistry.consumeError(Number(id))?.error?.message;
    if (message.includes('unknown variant `SocketTimeout`')) error.message = 'the database is locked by another connection (SQLITE_BUSY)';
    else if (cause) error.message = `${cause}\n${message}`;
    throw error;
  } finally {
    engine?.free();
    await Promise.all(open.map((c) => c.dispose()));
  }
}

// The migrations folder as the engine wants it, read as Prisma's CLI does.
export function migrationsList(dir) {
  const baseDir = path.resolve(dir);
  const read = (f) => {
    try {
      return fs.readFileSync(path.join(baseDir, f), 'utf8');
    } catch {
      return null;
    }
  };
  const entries = fs.existsSync(baseDir) ? fs.readdirSync(baseDir, { withFileTypes: true }) : [];
  const names = entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort((a, b) => a.localeCompare(b));
  return {
    baseDir,
    lockfile: { path: 'migration_lock.toml', content: read('migration_lock.toml') },
    shadowDbInitScript: '',
    migrationDirectories: names.map((name) => {
      const sql = read(path.join(name, 'migration.sql'));
      const content = sql === null ? { tag: 'error', value: `cannot read ${name}/migration.sql` } : { tag: 'ok', value: sql };
      return { path: name, migrationFile: { path: 'migration.sql', content } };
    }),
  };
}

/**
 * Applies every pending migration to databaseUrl; returns the names applied and the total count.
 * @param {{ databaseUrl?: string, migrationsDir?: string, log?: (line: string) => void }} [options]
 * @returns {Promise<{ applied: string[], total: number }>}
 */
export async function applyMigrations({ databaseUrl = process.env.DATABASE_URL || DEFAULT_URL, migrationsDir, log = console.log } = {}) {
  const db = database(databaseUrl);
  const list = migrationsList(migrationsDir ?? path.join('prisma', PROVIDERS[db.provider].migrations));
  await db.prepare();
  const { appliedMigrationNames: applied } = await withEngine(db.factory, (engine) => engine.applyMigrations({ migrationsList: list, filters: NO_FILTERS }));
  const total = list.migrationDirectories.length;
  log(applied.length ? `Applied: ${applied.join(', ')}` : `Database up to date (${total} migration${total === 1 ? '' : 's'})`);
  return { applied, total };
}
