// The master key side: which master key version wraps what, what the
// configured keys cannot open, and rotate-master (re-wrap under the newest).
import { recordAudits } from '@/lib/audit/mutations';
import { blobKeyVersion, IntegrityError, open, seal } from '@/lib/crypto/envelope';
import { afterBatch, batchSize, COMMAND_ACTOR, KeysError, listed, noProgress, type Progress } from '@/lib/keys/batches';
import { MASTER_KEY_BLOBS, pagesOf, rewriteBlobs, type MasterBlob } from '@/lib/keys/blobs';
import { masterKeyring } from '@/lib/projects/keys';

const ringKey = (version: number) => masterKeyring().keys.get(version);

/** Opens a master-sealed blob, or null when the configured keys cannot (missing version, altered blob). */
function tryUnwrap(item: MasterBlob): Buffer | null {
  try {
    return open(ringKey, item.blob, item.context, item.label);
  } catch (error) {
    if (error instanceof IntegrityError) return null;
    throw error;
  }
}

/** The master key version in a blob's header, or null when the header itself is damaged. */
function headerVersion(item: { blob: Uint8Array; label: string }): number | null {
  try {
    return blobKeyVersion(item.blob, item.label);
  } catch {
    return null;
  }
}

export type MasterInspection = {
  /** Blobs per master key version (read from each blob's header). */
  wrapsByVersion: Map<number, number>;
  /** Blobs the configured master keys cannot open. */
  unreadable: MasterBlob[];
};

/** Reads every master-sealed blob and tries to open it: one query per page, one unwrap per blob. */
export async function inspectMasterBlobs(): Promise<MasterInspection> {
  const wrapsByVersion = new Map<number, number>();
  const unreadable: MasterBlob[] = [];
  for (const kind of MASTER_KEY_BLOBS) {
    for await (const page of pagesOf(kind)) {
      for (const item of page) {
        const version = headerVersion(item);
        if (version !== null) wrapsByVersion.set(version, (wrapsByVersion.get(version) ?? 0) + 1);
        const key = version === null ? null : tryUnwrap(item);
        if (key) key.fill(0);
        else unreadable.push(item);
      }
    }
  }
  return { wrapsByVersion, unreadable };
}

/** The master key versions that the unreadable blobs name (and are not configured). */
export function missingVersions(unreadable: MasterBlob[]): number[] {
  const ring = masterKeyring();
  const versions = unreadable.map(headerVersion).filter((v): v is number => v !== null && !ring.keys.has(v));
  return [...new Set(versions)].sort((a, b) => a - b);
}

/** One line saying which projects the configured master keys cannot serve, or null when they all unwrap. */
export async function masterKeyProblem(): Promise<string | null> {
  const { unreadable } = await inspectMasterBlobs();
  return unreadable.length === 0 ? null : describeUnreadable(unreadable);
}

function describeUnreadable(unreadable: MasterBlob[]): string {
  const projects = [...new Set(unreadable.filter((item) => item.projectId !== null).map((item) => item.owner))];
  const accounts = unreadable.filter((item) => item.projectId === null).length;
  const missing = missingVersions(unreadable);
  const what = [
    ...(projects.length ? [`the data keys of ${projects.length === 1 ? 'project' : 'projects'} ${listed(projects)}`] : []),
    ...(accounts ? [`the second factor of ${accounts} ${accounts === 1 ? 'account' : 'accounts'}`] : []),
  ];
  return (
    `the configured master keys cannot unwrap ${what.join(' and ')}` +
    (missing.length ? `: add master key version ${listed(missing)} to KEYHOLD_MASTER_KEY.` : ': the stored keys fail their integrity check.')
  );
}

export type RotateMasterResult = {
  version: number;
  rewrapped: number;
  /** Configured versions that no blob needs any more. */
  unneeded: number[];
};

/**
 * Re-wraps every master-sealed blob under the newest configured master key,
 * a batch per transaction, each row compare-and-swapped on its old blob with
 * its projects' audit events in the same transaction. Idempotent: a row is
 * pending when its header names another version, so a run killed midway
 * resumes where it stopped.
 */
export async function rotateMaster(progress: Progress = noProgress): Promise<RotateMasterResult> {
  const ring = masterKeyring();
  const target = ring.current;
  const newest = ring.keys.get(target)!;
  const before = await inspectMasterBlobs();
  if (before.unreadable.length > 0) throw new KeysError(describeUnreadable(before.unreadable));
  const total = [...before.wrapsByVersion].reduce((sum, [version, n]) => sum + (version === target ? 0 : n), 0);
  let rewrapped = 0;
  progress('project keys re-wrapped', 0, total);

  for (const kind of MASTER_KEY_BLOBS) {
    await rewriteBlobs({
      kind,
      take: batchSize(),
      keyVersion: target,
      plan: (page) =>
        page
          .filter((item) => headerVersion(item) !== target)
          .map((item) => {
            const plain = tryUnwrap(item);
            if (!plain) throw new KeysError(`${item.label} cannot be unwrapped with the configured master keys`);
            const next = seal(newest, target, plain, item.context);
            plain.fill(0);
            return { id: item.id, old: item.blob, next, item };
          }),
      async alsoInTx(tx, changes) {
        const perProject = new Map<string, number[]>();
        for (const { item } of changes) {
          if (item.projectId) perProject.set(item.projectId, [...(perProject.get(item.projectId) ?? []), headerVersion(item)!]);
        }
        await recordAudits(
          tx,
          COMMAND_ACTOR,
          [...perProject].map(([projectId, from]) => ({
            projectId,
            action: 'key.master_rewrapped',
            targetType: 'project',
            targetId: projectId,
            details: { fromMasterVersions: [...new Set(from)].map(String), toMasterVersion: target, keys: from.length },
          })),
        );
      },
      async afterCommit(changes) {
        rewrapped += changes.length;
        progress('project keys re-wrapped', Math.min(rewrapped, total), total);
        await afterBatch();
      },
    });
  }

  const after = await inspectMasterBlobs();
  const stillUsed = [...after.wrapsByVersion.keys()].filter((v) => v !== target);
  if (stillUsed.length > 0) {
    throw new KeysError(`Some keys are still wrapped under master key version ${listed(stillUsed)} (written meanwhile by an app still configured without version ${target}?): give every app instance the new KEYHOLD_MASTER_KEY, restart it and run rotate-master again`);
  }
  const unneeded = [...ring.keys.keys()].filter((v) => v !== target).sort((a, b) => a - b);
  return { version: target, rewrapped, unneeded };
}
