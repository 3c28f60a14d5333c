// Every kind of stored blob a key rotation, `keys verify` and `backup --verify`
// must reach, in two registries: blobs sealed under the master key, and blobs
// sealed under a project's data key. Another kind (say, a user's TOTP secret
// under the master key) is one more entry here; the rotation, verification
// and backup code iterate these lists and need no change.
import { snapshotContext, totpSecretContext, valueContext, wrapContext } from '@/lib/crypto/envelope';
import { db, type Tx } from '@/lib/db';
import { Prisma } from '@/lib/generated/prisma/client';

/** One stored blob: its row id, the context it is bound to (AAD), and a name for messages (never a value). */
export type StoredBlob = { id: string; blob: Uint8Array; context: string; label: string };

/** A blob sealed under the master key; `projectId` when it belongs to a project (for its audit log). */
export type MasterBlob = StoredBlob & { projectId: string | null; owner: string };

/** One page of blobs and the cursor of the next page (null after the last). */
type Page<B> = { items: B[]; next: string | null };

type BlobKind<B> = {
  /** Plural noun for progress lines. */
  noun: string;
  /** How many blobs of this kind there are (of a project, for data key blobs). */
  count(projectId: string): Promise<number>;
  /** The page at `cursor` (null: the first); `take` bounds the rows a page reads (keyset paging, never OFFSET). */
  page(cursor: string | null, take: number, projectId: string): Promise<Page<B>>;
  /** Replaces each blob only if it is still `old` (compare-and-swap), in one statement; returns how many it replaced. */
  swap(tx: Tx, changes: readonly BlobChange[], keyVersion: number): Promise<number>;
};

export type MasterBlobKind = BlobKind<MasterBlob>;
export type DataBlobKind = BlobKind<StoredBlob>;

export type BlobChange = { id: string; old: Uint8Array; next: Uint8Array };

const ROWS_PER_STATEMENT = 500;

/**
 * One UPDATE per 500 rows, in SQL that SQLite and PostgreSQL both run and that
 * stays flat however many rows (no OR chain, which SQLite caps at depth 1000):
 *   SET col = CASE id WHEN … THEN new … ELSE col END
 *   WHERE id IN (…) AND col = CASE id WHEN … THEN old … ELSE col END
 * (the ELSE gives PostgreSQL the column's type for the parameters). A
 * statement per row costs ~20× more through Prisma. Returns the rows replaced.
 */
async function swapBlobs(tx: Tx, table: string, column: string, changes: readonly BlobChange[], alsoSet?: Prisma.Sql): Promise<number> {
  const col = Prisma.raw(`"${column}"`);
  let replaced = 0;
  for (let i = 0; i < changes.length; i += ROWS_PER_STATEMENT) {
    const chunk = changes.slice(i, i + ROWS_PER_STATEMENT);
    const next = Prisma.join(
      chunk.map((c) => Prisma.sql`WHEN ${c.id} THEN ${Buffer.from(c.next)}`),
      ' ',
    );
    const old = Prisma.join(
      chunk.map((c) => Prisma.sql`WHEN ${c.id} THEN ${Buffer.from(c.old)}`),
      ' ',
    );
    const ids = Prisma.join(chunk.map((c) => c.id));
    replaced += await tx.$executeRaw`UPDATE ${Prisma.raw(`"${table}"`)} SET ${col} = CASE "id" ${next} ELSE ${col} END${alsoSet ?? Prisma.empty}
      WHERE "id" IN (${ids}) AND ${col} = CASE "id" ${old} ELSE ${col} END`;
  }
  return replaced;
}

const after = (cursor: string | null) => (cursor ? { id: { gt: cursor } } : {});
const nextCursor = <T extends { id: string }>(rows: T[], take: number) => (rows.length < take ? null : rows[rows.length - 1].id);

// Plain queries only (a relation in the select costs ~5× more through Prisma): names are joined here.

const projectDataKeys: MasterBlobKind = {
  noun: 'project keys',
  count: () => db.projectKey.count(),
  async page(cursor, take) {
    const rows = await db.projectKey.findMany({
      where: after(cursor),
      orderBy: { id: 'asc' },
      take,
      select: { id: true, projectId: true, version: true, wrappedKey: true },
    });
    const projects = await db.project.findMany({ where: { id: { in: [...new Set(rows.map((r) => r.projectId))] } }, select: { id: true, slug: true } });
    const slugs = new Map(projects.map((p) => [p.id, p.slug]));
    const items = rows.map((r) => {
      const slug = slugs.get(r.projectId) ?? r.projectId;
      return {
        id: r.id,
        blob: r.wrappedKey,
        context: wrapContext(r.projectId, r.version),
        label: `project ${slug} data key version ${r.version}`,
        projectId: r.projectId,
        owner: slug,
      };
    });
    return { items, next: nextCursor(rows, take) };
  },
  swap: (tx, changes, masterKeyVersion) => swapBlobs(tx, 'ProjectKey', 'wrappedKey', changes, Prisma.sql`, "masterKeyVersion" = ${masterKeyVersion}`),
};

/** Second-factor (TOTP) secrets of accounts: sealed under the master key, bound to their user. */
const totpSecrets: MasterBlobKind = {
  noun: 'second-factor secrets',
  count: () => db.user.count({ where: { totpSecret: { not: null } } }),
  async page(cursor, take) {
    const rows = await db.user.findMany({
      where: { totpSecret: { not: null }, ...after(cursor) },
      orderBy: { id: 'asc' },
      take,
      select: { id: true, email: true, totpSecret: true },
    });
    const items = rows.map((r) => ({
      id: r.id,
      blob: r.totpSecret!,
      context: totpSecretContext(r.id),
      label: `the second factor of ${r.email}`,
      projectId: null,
      owner: `account ${r.email}`,
    }));
    return { items, next: nextCursor(rows, take) };
  },
  swap: (tx, changes) => swapBlobs(tx, 'User', 'totpSecret', changes),
};

// A new kind here is also one more entry of lib/keys/master-columns.ts (what a backup reads its needed versions from).
export const MASTER_KEY_BLOBS: readonly MasterBlobKind[] = [projectDataKeys, totpSecrets];

const environmentNames = async (projectId: string) =>
  new Map((await db.environment.findMany({ where: { projectId }, select: { id: true, name: true } })).map((e) => [e.id, e.name]));

/** Pages of secrets (by id), each with every version of those secrets. */
const secretVersions: DataBlobKind = {
  noun: 'secret versions',
  count: (projectId) => db.secretVersion.count({ where: { secret: { projectId } } }),
  async page(cursor, take, projectId) {
    const secrets = await db.secret.findMany({
      where: { projectId, ...after(cursor) },
      orderBy: { id: 'asc' },
      take,
      select: { id: true, key: true, environmentId: true },
    });
    const environments = await environmentNames(projectId);
    const names = new Map(secrets.map((s) => [s.id, `secret ${s.key} (${environments.get(s.environmentId)})`]));
    const rows = await db.secretVersion.findMany({
      where: { secretId: { in: secrets.map((s) => s.id) } },
      orderBy: { id: 'asc' },
      select: { id: true, secretId: true, version: true, blob: true },
    });
    const items = rows.map((r) => ({
      id: r.id,
      blob: r.blob,
      context: valueContext(r.secretId, r.version),
      label: `${names.get(r.secretId)} version ${r.version}`,
    }));
    return { items, next: nextCursor(secrets, take) };
  },
  swap: (tx, changes) => swapBlobs(tx, 'SecretVersion', 'blob', changes),
};

/** Snapshots can be large (a whole environment each): smaller pages. */
const SNAPSHOTS_PER_PAGE = 50;

const deploymentSnapshots: DataBlobKind = {
  noun: 'deployments',
  count: (projectId) => db.deployment.count({ where: { projectId } }),
  async page(cursor, take, projectId) {
    const rows = await db.deployment.findMany({
      where: { projectId, ...after(cursor) },
      orderBy: { id: 'asc' },
      take: Math.min(take, SNAPSHOTS_PER_PAGE),
      select: { id: true, number: true, snapshot: true, environmentId: true },
    });
    const environments = await environmentNames(projectId);
    const items = rows.map((r) => ({
      id: r.id,
      blob: r.snapshot,
      context: snapshotContext(r.id),
      label: `deployment #${r.number} (${environments.get(r.environmentId)})`,
    }));
    return { items, next: nextCursor(rows, Math.min(take, SNAPSHOTS_PER_PAGE)) };
  },
  swap: (tx, changes) => swapBlobs(tx, 'Deployment', 'snapshot', changes),
};

export const DATA_KEY_BLOBS: readonly DataBlobKind[] = [secretVersions, deploymentSnapshots];

class SwapConflict extends Error {}

/**
 * Rewrites blobs of a kind page by page (keyset on id): `plan` picks a page's
 * changes, and each page's swap and `alsoInTx` (audit events, counters) are one
 * transaction. When the swap replaced fewer blobs than planned (another
 * rotation got there first, or a row was deleted), that transaction is rolled
 * back and the page is read again, so nothing is counted or audited twice.
 */
export async function rewriteBlobs<B extends StoredBlob>(options: {
  kind: BlobKind<B>;
  take: number;
  projectId?: string;
  keyVersion: number;
  plan: (page: B[]) => (BlobChange & { item: B })[];
  alsoInTx?: (tx: Tx, changes: (BlobChange & { item: B })[]) => Promise<void>;
  afterCommit: (changes: (BlobChange & { item: B })[]) => Promise<void>;
}): Promise<void> {
  const { kind, take, projectId = '', keyVersion, plan, alsoInTx, afterCommit } = options;
  let cursor: string | null = null;
  for (;;) {
    const page: Page<B> = await kind.page(cursor, take, projectId);
    const changes = plan(page.items);
    if (changes.length > 0) {
      try {
        await db.$transaction(async (tx) => {
          if ((await kind.swap(tx, changes, keyVersion)) !== changes.length) throw new SwapConflict();
          await alsoInTx?.(tx, changes);
        });
      } catch (error) {
        if (error instanceof SwapConflict) continue; // the same page again
        throw error;
      }
      await afterCommit(changes);
    }
    if (page.next === null) return;
    cursor = page.next;
  }
}

/** Rows per page when only reading (Prisma caps the parameters of one query: an `in` list is one each). */
const READ_PAGE = 500;

/** Every blob of a kind, one page at a time. */
export async function* pagesOf<B extends StoredBlob>(kind: BlobKind<B>, projectId = '', take = READ_PAGE): AsyncGenerator<B[]> {
  let cursor: string | null = null;
  do {
    const page: Page<B> = await kind.page(cursor, take, projectId);
    yield page.items;
    cursor = page.next;
  } while (cursor !== null);
}
