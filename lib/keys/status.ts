// `keys status`: the configured master key versions and what each wraps, each
// project's data key versions with their encryption counts, and what the
// configured master keys cannot unwrap, by project.
import { db } from '@/lib/db';
import type { MasterBlob } from '@/lib/keys/blobs';
import { inspectMasterBlobs, missingVersions } from '@/lib/keys/master';
import { masterKeyring } from '@/lib/projects/keys';

export type KeyStatus = {
  configured: number[];
  newest: number;
  /** Project keys wrapped per master key version, including versions that are not configured. */
  wrapsByVersion: Map<number, number>;
  /** Account second-factor secrets wrapped per master key version. */
  secondFactorsByVersion: Map<number, number>;
  projects: { slug: string; keys: { version: number; encryptions: number; masterKeyVersion: number }[] }[];
  /** Projects ("project <slug>") and accounts ("account <email>") with what the configured master keys cannot unwrap. */
  unreadable: { owner: string; labels: string[] }[];
  /** The same blobs, for describeUnreadable. */
  unreadableBlobs: MasterBlob[];
  missing: number[];
};

export async function keyStatus(): Promise<KeyStatus> {
  const ring = masterKeyring();
  const { wrapsByKind, unreadable } = await inspectMasterBlobs();
  const projects = await db.project.findMany({
    orderBy: { slug: 'asc' },
    select: { slug: true, keys: { orderBy: { version: 'asc' }, select: { version: true, encryptions: true, masterKeyVersion: true } } },
  });
  const byOwner = new Map<string, string[]>();
  for (const item of unreadable) {
    // Accounts' owners already read "account <email>".
    const owner = item.projectId === null ? item.owner : `project ${item.owner}`;
    byOwner.set(owner, [...(byOwner.get(owner) ?? []), item.label]);
  }
  return {
    configured: [...ring.keys.keys()].sort((a, b) => a - b),
    newest: ring.current,
    wrapsByVersion: wrapsByKind.get('project keys') ?? new Map(),
    secondFactorsByVersion: wrapsByKind.get('second-factor secrets') ?? new Map(),
    // encryptions is a BigInt column (it passes 2^31 before a rotation): a number here, exact up to 2^53.
    projects: projects.map((p) => ({ slug: p.slug, keys: p.keys.map((k) => ({ ...k, encryptions: Number(k.encryptions) })) })),
    unreadable: [...byOwner].map(([owner, labels]) => ({ owner, labels })),
    unreadableBlobs: unreadable,
    missing: missingVersions(unreadable),
  };
}
