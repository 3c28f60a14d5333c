// `keys status`: the configured master key versions and what each wraps, each
// project's data key versions with their encryption counts, and what the
// configured master keys cannot unwrap, by project.
import { db } from '@/lib/db';
import { inspectMasterBlobs, missingVersions } from '@/lib/keys/master';
import { masterKeyring } from '@/lib/projects/keys';

export type KeyStatus = {
  configured: number[];
  newest: number;
  /** Keys wrapped per master key version, including versions that are not configured. */
  wrapsByVersion: Map<number, number>;
  projects: { slug: string; keys: { version: number; encryptions: number; masterKeyVersion: number }[] }[];
  /** Projects whose keys the configured master keys cannot unwrap, with what cannot. */
  unreadable: { owner: string; labels: string[] }[];
  missing: number[];
};

export async function keyStatus(): Promise<KeyStatus> {
  const ring = masterKeyring();
  const { wrapsByVersion, unreadable } = await inspectMasterBlobs();
  const projects = await db.project.findMany({
    orderBy: { slug: 'asc' },
    select: { slug: true, keys: { orderBy: { version: 'asc' }, select: { version: true, encryptions: true, masterKeyVersion: true } } },
  });
  const byOwner = new Map<string, string[]>();
  for (const item of unreadable) byOwner.set(item.owner, [...(byOwner.get(item.owner) ?? []), item.label]);
  return {
    configured: [...ring.keys.keys()].sort((a, b) => a - b),
    newest: ring.current,
    wrapsByVersion,
    projects,
    unreadable: [...byOwner].map(([owner, labels]) => ({ owner, labels })),
    missing: missingVersions(unreadable),
  };
}
