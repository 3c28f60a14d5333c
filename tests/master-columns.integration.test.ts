// lib/keys/master-columns.ts names where master-sealed blobs are stored, so a
// backup can read the master key versions its dump needs without the database
// client. It must list exactly the columns of the master key blobs that
// lib/keys/blobs.ts rotates and verifies. Checked on real rows: every Bytes
// column of the schema holds at least one blob here, and each is either a
// master-sealed column (listed) or a data-key one (not listed).
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { newTotpSecret, sealTotpSecret } from '@/lib/auth/second-factor';
import { db } from '@/lib/db';
import { DATA_KEY_BLOBS, MASTER_KEY_BLOBS, pagesOf } from '@/lib/keys/blobs';
import { MASTER_SEALED_COLUMNS } from '@/lib/keys/master-columns';
import { migrateTestDatabase } from './support/db';
import { makeUser } from './support/fixtures';
import { fillProject } from './support/key-fixtures';

/** Every `Bytes` field of the schema, as (table, column). */
function bytesColumns(): { table: string; column: string }[] {
  const schema = fs.readFileSync(path.resolve(__dirname, '../prisma/schema.prisma'), 'utf8');
  return [...schema.matchAll(/^model (\w+) \{([^}]*)\}/gm)].flatMap(([, table, body]) =>
    [...body.matchAll(/^\s*(\w+)\s+Bytes\??(\s|$)/gm)].map(([, column]) => ({ table, column })),
  );
}

const hex = (blob: Uint8Array) => Buffer.from(blob).toString('hex');

async function stored(table: string, column: string): Promise<string[]> {
  const rows = await db.$queryRawUnsafe<{ blob: Uint8Array }[]>(`SELECT "${column}" AS blob FROM "${table}" WHERE "${column}" IS NOT NULL`);
  return rows.map((r) => hex(r.blob)).sort();
}

async function blobsOf(kinds: typeof MASTER_KEY_BLOBS | typeof DATA_KEY_BLOBS, projectIds: string[]): Promise<Set<string>> {
  const out = new Set<string>();
  for (const kind of kinds)
    for (const projectId of projectIds) for await (const page of pagesOf(kind, projectId)) for (const item of page) out.add(hex(item.blob));
  return out;
}

beforeAll(async () => {
  await migrateTestDatabase();
  await fillProject('Master columns', 3, 2); // project keys, secret versions, a deployment
  const user = await makeUser('Second factor');
  await db.user.update({ where: { id: user.id }, data: { totpSecret: sealTotpSecret(user.id, newTotpSecret()) } });
});

describe('lib/keys/master-columns.ts', () => {
  it('lists exactly the columns whose blobs lib/keys/blobs.ts seals under the master key', async () => {
    const projectIds = (await db.project.findMany({ select: { id: true } })).map((p) => p.id);
    const master = await blobsOf(MASTER_KEY_BLOBS, ['']);
    const data = await blobsOf(DATA_KEY_BLOBS, projectIds);
    const listed = new Set(MASTER_SEALED_COLUMNS.map((c) => `${c.table}.${c.column}`));
    const found: Record<string, 'master' | 'data'> = {};
    for (const { table, column } of bytesColumns()) {
      const blobs = await stored(table, column);
      expect(blobs.length, `${table}.${column}: add a row of it to this test`).toBeGreaterThan(0);
      if (blobs.every((b) => master.has(b))) found[`${table}.${column}`] = 'master';
      else if (blobs.every((b) => data.has(b))) found[`${table}.${column}`] = 'data';
      else throw new Error(`${table}.${column} is in neither registry of lib/keys/blobs.ts`);
    }
    const masterColumns = Object.keys(found).filter((c) => found[c] === 'master');
    expect(masterColumns.length).toBeGreaterThan(0);
    expect(new Set(masterColumns)).toEqual(listed);
    // And what master-columns.ts lists reads back every master-sealed blob, nothing else.
    const viaColumns = (await Promise.all(MASTER_SEALED_COLUMNS.map((c) => stored(c.table, c.column)))).flat().sort();
    expect(viaColumns).toEqual([...master].sort());
  });
});
