// rotate-project: a new data key version for a project, then every blob of
// the project (secret versions, deployment snapshots) re-encrypted under it,
// a batch per transaction, online. Readers keep working throughout: a blob
// names its key version and every version stays until `keys verify` finds
// none left under it. Writers pick up the new version at once (the data layer
// reads the newest version per write, lib/projects/keys.ts).
import { recordAudit, type AuditActor } from '@/lib/audit/mutations';
import { blobKeyVersion, IntegrityError, open, seal } from '@/lib/crypto/envelope';
import { db, isUniqueViolation, type Tx } from '@/lib/db';
import { env } from '@/lib/env';
import { conflict } from '@/lib/errors';
import { Prisma } from '@/lib/generated/prisma/client';
import { afterBatch, AUTOMATIC_ACTOR, batchSize, COMMAND_ACTOR, KeysError, noProgress, type Progress } from '@/lib/keys/batches';
import { DATA_KEY_BLOBS, rewriteBlobs } from '@/lib/keys/blobs';
import { createProjectKey, projectKeys } from '@/lib/projects/keys';
import { logUnexpected } from '@/lib/log';

export type ProjectRef = { id: string; slug: string };

const newestVersion = async (projectId: string) =>
  await db.projectKey.findFirstOrThrow({ where: { projectId }, orderBy: { version: 'desc' }, select: { version: true, encryptions: true } });

/** Adds data key version `newest + 1` with its audit event; false when another rotation added it first. */
async function addDataKeyVersion(project: ProjectRef, from: number, reason: string, actor: AuditActor): Promise<boolean> {
  try {
    await db.$transaction(async (tx) => {
      await createProjectKey(tx, project.id, from + 1);
      await recordAudit(tx, actor, {
        projectId: project.id,
        action: 'key.project_rotated',
        targetType: 'project',
        targetId: project.id,
        targetLabel: project.slug,
        details: { fromVersion: from, toVersion: from + 1, reason },
      });
    });
    return true;
  } catch (error) {
    if (isUniqueViolation(error)) return false;
    throw error;
  }
}

export type RotateProjectResult = {
  version: number;
  resumed: boolean;
  reencrypted: number;
  /** Blobs that failed their integrity check (left as they are): name them, run verify. */
  unreadable: string[];
};

const retiredEncryptions = async (projectId: string, current: number) =>
  Number((await db.projectKey.aggregate({ where: { projectId, version: { not: current } }, _sum: { encryptions: true } }))._sum.encryptions ?? 0);

/** Re-encrypts every blob of the project not yet under its newest data key version, until nothing is left behind. */
async function reencryptProject(
  project: ProjectRef,
  total: number,
  progress: Progress,
): Promise<{ version: number; reencrypted: number; unreadable: string[] }> {
  let reencrypted = 0;
  const unreadable = new Set<string>();
  for (;;) {
    const keys = await projectKeys(project.id);
    const target = keys.current.version;
    const retiredBefore = await retiredEncryptions(project.id, target);
    let changedThisPass = 0;
    for (const kind of DATA_KEY_BLOBS) {
      await rewriteBlobs({
        kind,
        take: batchSize(),
        projectId: project.id,
        keyVersion: target,
        plan: (page) =>
          page.flatMap((item) => {
            if (unreadable.has(item.label)) return [];
            try {
              if (blobKeyVersion(item.blob, item.label) === target) return [];
              const plain = open(keys.keyFor, item.blob, item.context, item.label);
              const next = seal(keys.current.key, target, plain, item.context);
              plain.fill(0);
              return [{ id: item.id, old: item.blob, next, item }];
            } catch (error) {
              if (!(error instanceof IntegrityError)) throw error;
              unreadable.add(item.label);
              return [];
            }
          }),
        alsoInTx: (tx, changes) =>
          tx.projectKey
            .update({ where: { projectId_version: { projectId: project.id, version: target } }, data: { encryptions: { increment: changes.length } } })
            .then(() => undefined),
        async afterCommit(changes) {
          changedThisPass += changes.length;
          reencrypted += changes.length;
          progress(`${project.slug}: blobs re-encrypted`, Math.min(reencrypted, total), Math.max(total, reencrypted));
          await afterBatch();
        },
      });
    }
    // A write that read the previous version just before the new one existed may land behind the cursor.
    // Every such write bumps its key's encryption count in its own transaction: unchanged counts mean none did.
    if (changedThisPass === 0 || (await retiredEncryptions(project.id, target)) === retiredBefore) {
      if (unreadable.size > 0) {
        // The last line reaches the total: the blobs that failed their integrity check were skipped.
        const done = reencrypted + unreadable.size;
        progress(`${project.slug}: blobs re-encrypted (${unreadable.size} failed the integrity check, skipped)`, done, Math.max(total, done));
      }
      return { version: target, reencrypted, unreadable: [...unreadable] };
    }
  }
}

/**
 * `keys rotate-project <slug>`: a new data key version, then every blob
 * re-encrypted under it. When an earlier rotation was interrupted (blobs are
 * left under an older version), it resumes that one instead of starting another.
 */
export async function rotateProject(
  project: ProjectRef,
  options: { progress?: Progress; actor?: AuditActor; reason?: string; onlyIfWorn?: boolean } = {},
): Promise<RotateProjectResult | null> {
  const { progress = noProgress, actor = COMMAND_ACTOR, reason = 'requested', onlyIfWorn = false } = options;
  const newest = await newestVersion(project.id);
  const total = (await Promise.all(DATA_KEY_BLOBS.map((kind) => kind.count(project.id)))).reduce((a, b) => a + b, 0);
  const finish = async (done: Awaited<ReturnType<typeof reencryptProject>>, resumed: boolean) => {
    await db.$transaction((tx) =>
      recordAudit(tx, actor, {
        projectId: project.id,
        action: 'key.project_reencrypted',
        targetType: 'project',
        targetId: project.id,
        targetLabel: project.slug,
        details: { version: done.version, reencrypted: done.reencrypted, unreadable: done.unreadable.length },
      }),
    );
    return { ...done, resumed };
  };
  // Retired versions still stored: an earlier rotation may have stopped midway. Finish it rather than start another.
  if ((await db.projectKey.count({ where: { projectId: project.id } })) > 1) {
    const finished = await reencryptProject(project, total, progress);
    if (finished.reencrypted > 0 || finished.unreadable.length > 0) return finish(finished, true);
  }
  if (onlyIfWorn && Number(newest.encryptions) <= env().KEYHOLD_DATA_KEY_ROTATE_AFTER) return null;
  if (!(await addDataKeyVersion(project, newest.version, reason, actor)) && onlyIfWorn) return null;
  return finish(await reencryptProject(project, total, progress), false);
}

export async function findProject(slug: string): Promise<ProjectRef> {
  const project = await db.project.findUnique({ where: { slug }, select: { id: true, slug: true } });
  if (!project) throw new KeysError(`No project has the slug "${slug}" (see \`npm run keys -- status\`)`);
  return project;
}

/** A write encrypted under a data key version that `keys verify` destroyed before it committed (a 409: a retry uses the newest version). */
export const KEY_ROTATED = "The project's encryption key was rotated while this was being saved. Nothing was saved; try again.";

/**
 * Counts encryptions per data key: random 96-bit nonces are safe up to ~2^32
 * per key. Past KEYHOLD_DATA_KEY_ROTATE_AFTER the project's data key is
 * rotated in the background (rotateWornDataKey below). The update fails when
 * the key version was destroyed meanwhile, so nothing commits under a retired
 * key: the caller's transaction rolls back with a conflict.
 */
export async function countEncryption(tx: Tx, projectId: string, version: number, count = 1): Promise<void> {
  const { encryptions } = await tx.projectKey
    .update({
      where: { projectId_version: { projectId, version } },
      data: { encryptions: { increment: count } },
      select: { encryptions: true },
    })
    .catch((error: unknown) => {
      // P2025: no row to update.
      throw error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2025' ? conflict(KEY_ROTATED) : error;
    });
  // A BigInt column: PostgreSQL's INTEGER would overflow (2^31 - 1) before this threshold.
  if (Number(encryptions) > env().KEYHOLD_DATA_KEY_ROTATE_AFTER) {
    // After this transaction: the rotation runs on its own transactions.
    setImmediate(() => void rotateWornDataKey(projectId, version));
  }
}

// On globalThis: Next's bundled copy of this module and server.ts's share one guard.
const rotating = ((globalThis as unknown as { keyholdRotating?: Set<string> }).keyholdRotating ??= new Set<string>());

/** The automatic rotation once a data key has encrypted more than KEYHOLD_DATA_KEY_ROTATE_AFTER values (one per project at a time). */
async function rotateWornDataKey(projectId: string, version: number): Promise<void> {
  if (rotating.has(projectId)) return;
  rotating.add(projectId);
  try {
    // The write that crossed the threshold may still be committing: this no-op update waits for its
    // row lock (PostgreSQL), so the count read next includes it instead of finding the key not yet worn.
    await db.projectKey.updateMany({ where: { projectId, version }, data: { encryptions: { increment: 0 } } });
    const project = await db.project.findUnique({ where: { id: projectId }, select: { id: true, slug: true } });
    if (!project) return;
    const result = await rotateProject(project, { actor: AUTOMATIC_ACTOR, reason: 'encryption limit', onlyIfWorn: true });
    if (result)
      console.log(
        `[keyhold] project ${project.slug}: data key rotated to version ${result.version} (encryption limit), ${result.reencrypted} blobs re-encrypted`,
      );
  } catch (error) {
    logUnexpected(`automatic data key rotation of project ${projectId} failed`, error);
  } finally {
    rotating.delete(projectId);
  }
}
