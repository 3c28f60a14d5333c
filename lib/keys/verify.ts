// `keys verify` (and the check behind `backup --verify` and `restore`): every
// master-sealed blob opens with the configured master keys, every blob of every
// project opens with its project's keys, and the key version in every blob is
// counted. A project with no blob left under a retired data key version gets
// those versions destroyed (when asked), in one transaction with its audit event.
import { recordAudit } from '@/lib/audit/mutations';
import { blobKeyVersion, IntegrityError, open } from '@/lib/crypto/envelope';
import { db } from '@/lib/db';
import { COMMAND_ACTOR, noProgress, type Progress } from '@/lib/keys/batches';
import { DATA_KEY_BLOBS, pagesOf } from '@/lib/keys/blobs';
import { inspectMasterBlobs } from '@/lib/keys/master';
import { unwrapDataKey } from '@/lib/projects/keys';

type ProjectVerification = {
  slug: string;
  newestVersion: number;
  /** Blobs per data key version. */
  blobsByVersion: Map<number, number>;
  /** Blobs left under a retired (older) version. */
  stale: number;
  /** Blobs or keys that failed their integrity check, by name (never a value). */
  failures: string[];
  /** Retired versions destroyed by this run. */
  destroyed: number[];
  /** Retired versions still stored (not destroyed). */
  retired: number[];
};

export type Verification = {
  /** Master-sealed blobs the configured master keys cannot open, by name. */
  masterFailures: string[];
  projects: ProjectVerification[];
  blobs: number;
};

export const verificationPassed = (v: Verification) => v.masterFailures.length === 0 && v.projects.every((p) => p.failures.length === 0 && p.stale === 0);

class WrittenMeanwhile extends Error {}

/**
 * Deletes the retired key rows, each only if its encryption count is still the
 * one read before the blobs were scanned: a write under a retired version
 * (begun before the rotation) either bumped it first, and nothing is
 * destroyed, or finds its key row gone and fails with a conflict (countEncryption).
 */
async function destroy(project: { id: string; slug: string }, rows: { version: number; encryptions: bigint }[], newestVersion: number): Promise<boolean> {
  const retired = rows.filter((r) => r.version !== newestVersion);
  try {
    await db.$transaction(async (tx) => {
      for (const row of retired) {
        const { count } = await tx.projectKey.deleteMany({ where: { projectId: project.id, version: row.version, encryptions: row.encryptions } });
        if (count !== 1) throw new WrittenMeanwhile();
      }
      await recordAudit(tx, COMMAND_ACTOR, {
        projectId: project.id,
        action: 'key.retired_destroyed',
        targetType: 'project',
        targetId: project.id,
        targetLabel: project.slug,
        details: { versions: retired.map((r) => String(r.version)), currentVersion: newestVersion },
      });
    });
    return true;
  } catch (error) {
    if (error instanceof WrittenMeanwhile) return false;
    throw error;
  }
}

async function verifyProject(project: { id: string; slug: string }, destroyRetired: boolean): Promise<ProjectVerification> {
  const rows = await db.projectKey.findMany({ where: { projectId: project.id }, orderBy: { version: 'desc' } });
  const failures: string[] = [];
  const keys = new Map<number, Buffer>();
  for (const row of rows) {
    try {
      keys.set(row.version, unwrapDataKey(project.id, row));
    } catch (error) {
      if (!(error instanceof IntegrityError)) throw error;
      failures.push(`project ${project.slug} data key version ${row.version}`);
    }
  }
  const newestVersion = rows[0]?.version ?? 0;
  const blobsByVersion = new Map<number, number>();
  for (const kind of DATA_KEY_BLOBS) {
    for await (const page of pagesOf(kind, project.id)) {
      for (const item of page) {
        try {
          const version = blobKeyVersion(item.blob, item.label);
          blobsByVersion.set(version, (blobsByVersion.get(version) ?? 0) + 1);
          open((v) => keys.get(v), item.blob, item.context, item.label).fill(0);
        } catch (error) {
          if (!(error instanceof IntegrityError)) throw error;
          failures.push(item.label);
        }
      }
    }
  }
  for (const key of keys.values()) key.fill(0);
  const stale = [...blobsByVersion].reduce((sum, [version, n]) => sum + (version === newestVersion ? 0 : n), 0);
  let retired = rows.map((r) => r.version).filter((v) => v !== newestVersion);
  let destroyed: number[] = [];
  if (destroyRetired && retired.length > 0 && stale === 0 && failures.length === 0 && (await destroy(project, rows, newestVersion))) {
    [destroyed, retired] = [retired, []];
  }
  return { slug: project.slug, newestVersion, blobsByVersion, stale, failures, destroyed, retired };
}

export async function verifyKeys(options: { destroyRetired: boolean; progress?: Progress }): Promise<Verification> {
  const { destroyRetired, progress = noProgress } = options;
  const master = await inspectMasterBlobs();
  const projects = await db.project.findMany({ orderBy: { slug: 'asc' }, select: { id: true, slug: true } });
  const results: ProjectVerification[] = [];
  progress('projects verified', 0, projects.length);
  for (const project of projects) {
    results.push(await verifyProject(project, destroyRetired));
    progress('projects verified', results.length, projects.length);
  }
  const blobs = results.reduce((sum, p) => sum + [...p.blobsByVersion.values()].reduce((a, b) => a + b, 0), 0);
  return { masterFailures: master.unreadable.map((item) => item.label), projects: results, blobs };
}

/** Everything that failed its integrity check or cannot be unwrapped, by name (never a value). */
export const failedBlobs = (v: Verification): string[] => [...v.masterFailures, ...v.projects.flatMap((p) => p.failures)];
