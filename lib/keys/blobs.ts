// Every kind of stored blob a key rotation, `keys verify` and `backup --verify`
// must reach, in two registries: blobs sealed under the master key, and blobs
// sealed under a project's data key. Another kind (say, a user's TOTP secret
// under the master key) is one more entry here; the rotation, verification
// and backup code iterate these lists and need no change.
import { snapshotContext, valueContext, wrapContext } from '@/lib/crypto/envelope';
import { db, type Tx } from '@/lib/db';

/** One stored blob: its row id, the context it is bound to (AAD), and a name for messages (never a value). */
export type StoredBlob = { id: string; blob: Uint8Array; context: string; label: string };

/** A blob sealed under the master key; `projectId` when it belongs to a project (for its audit log). */
export type MasterBlob = StoredBlob & { projectId: string | null; owner: string };

type BlobKind<B> = {
  /** Plural noun for progress lines. */
  noun: string;
  /** Up to `take` blobs with an id after `afterId`, ordered by id (keyset paging). */
  page(afterId: string | null, take: number, projectId?: string): Promise<B[]>;
  /** Replaces the blob only if it is still `old` (compare-and-swap); true when it did. */
  swap(tx: Tx, id: string, old: Uint8Array, next: Uint8Array, keyVersion: number): Promise<boolean>;
};

export type MasterBlobKind = BlobKind<MasterBlob>;
export type DataBlobKind = BlobKind<StoredBlob> & { page(afterId: string | null, take: number, projectId: string): Promise<StoredBlob[]> };

const after = (afterId: string | null) => (afterId ? { id: { gt: afterId } } : {});
const bytes = (b: Uint8Array) => Uint8Array.from(b) as Uint8Array<ArrayBuffer>;

const projectDataKeys: MasterBlobKind = {
  noun: 'project keys',
  async page(afterId, take) {
    const rows = await db.projectKey.findMany({
      where: after(afterId),
      orderBy: { id: 'asc' },
      take,
      select: { id: true, projectId: true, version: true, wrappedKey: true, project: { select: { slug: true } } },
    });
    return rows.map((r) => ({
      id: r.id,
      blob: r.wrappedKey,
      context: wrapContext(r.projectId, r.version),
      label: `project ${r.project.slug} data key version ${r.version}`,
      projectId: r.projectId,
      owner: r.project.slug,
    }));
  },
  async swap(tx, id, old, next, masterKeyVersion) {
    const { count } = await tx.projectKey.updateMany({ where: { id, wrappedKey: bytes(old) }, data: { wrappedKey: bytes(next), masterKeyVersion } });
    return count === 1;
  },
};

export const MASTER_KEY_BLOBS: readonly MasterBlobKind[] = [projectDataKeys];

const secretVersions: DataBlobKind = {
  noun: 'secret versions',
  async page(afterId, take, projectId) {
    const rows = await db.secretVersion.findMany({
      where: { secret: { projectId }, ...after(afterId) },
      orderBy: { id: 'asc' },
      take,
      select: { id: true, secretId: true, version: true, blob: true, secret: { select: { key: true, environment: { select: { name: true } } } } },
    });
    return rows.map((r) => ({
      id: r.id,
      blob: r.blob,
      context: valueContext(r.secretId, r.version),
      label: `secret ${r.secret.key} (${r.secret.environment.name}) version ${r.version}`,
    }));
  },
  async swap(tx, id, old, next) {
    const { count } = await tx.secretVersion.updateMany({ where: { id, blob: bytes(old) }, data: { blob: bytes(next) } });
    return count === 1;
  },
};

const deploymentSnapshots: DataBlobKind = {
  noun: 'deployments',
  async page(afterId, take, projectId) {
    const rows = await db.deployment.findMany({
      where: { projectId, ...after(afterId) },
      orderBy: { id: 'asc' },
      take,
      select: { id: true, number: true, snapshot: true, environment: { select: { name: true } } },
    });
    return rows.map((r) => ({
      id: r.id,
      blob: r.snapshot,
      context: snapshotContext(r.id),
      label: `deployment #${r.number} (${r.environment.name})`,
    }));
  },
  async swap(tx, id, old, next) {
    const { count } = await tx.deployment.updateMany({ where: { id, snapshot: bytes(old) }, data: { snapshot: bytes(next) } });
    return count === 1;
  },
};

export const DATA_KEY_BLOBS: readonly DataBlobKind[] = [secretVersions, deploymentSnapshots];

/** Every blob of a kind, one page at a time. */
export async function* pagesOf<B extends StoredBlob>(
  kind: { page(afterId: string | null, take: number, projectId: string): Promise<B[]> },
  take: number,
  projectId = '',
): AsyncGenerator<B[]> {
  let afterId: string | null = null;
  for (;;) {
    const page = await kind.page(afterId, take, projectId);
    if (page.length === 0) return;
    yield page;
    afterId = page[page.length - 1].id;
  }
}
