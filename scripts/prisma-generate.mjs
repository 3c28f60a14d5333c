// `prisma generate` without Prisma's binary host: generation runs in
// WebAssembly and only checks that a schema engine file exists, so point it
// at a stub that explains itself. Migrations run through scripts/migrate.mjs.
//
// Generates both clients: SQLite from prisma/schema.prisma, PostgreSQL from the
// schema derived from it (lib/db-providers.mjs), written to a temporary file.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PROVIDERS, schemaFor } from '../lib/db-providers.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const stub = path.join(root, 'scripts/schema-engine-stub.sh');

function generate(schemaPath) {
  const result = spawnSync(process.execPath, [path.join(root, 'node_modules/prisma/build/index.js'), 'generate', '--schema', schemaPath], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: stub, PRISMA_HIDE_UPDATE_MESSAGE: '1' },
  });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

generate(path.join(root, 'prisma/schema.prisma'));

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'keyhold-prisma-'));
try {
  const derived = path.join(tmp, 'schema.prisma');
  const source = fs.readFileSync(path.join(root, 'prisma/schema.prisma'), 'utf8');
  fs.writeFileSync(derived, schemaFor(source, 'postgresql', path.join(root, PROVIDERS.postgresql.clientDir)));
  generate(derived);
} finally {
  fs.rmSync(tmp, { recursive: true, force: true });
}
