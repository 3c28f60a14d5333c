// The master key side: which master key version wraps what, what the
// configured keys cannot open, and rotate-master (re-wrap under the newest).
import { recordAudits } from '@/lib/audit/mutations';
import { blobKeyVersion, IntegrityError, open, seal } from '@/lib/crypto/envelope';
import { afterBatch, batchSize, COMMAND_ACTOR, KeysError, listed, noProgress, type Progress } from '@/lib/keys/batches';
import { MASTER_KEY_BLOBS, pagesOf, rewriteBlobs, type MasterBlob } from '@/lib/keys/blobs';
import { masterKeyring } from '@/lib/projects/keys';
import { refreshAllFingerprints } from '@/lib/secrets/fingerprint';

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
  /** Blobs per master key version (read from each blob's header), every kind together. */
  wrapsByVersion: Map<number, number>;
  /** The same, per kind of blob (by its noun: 'project keys', 'second-factor secrets'). */
  wrapsByKind: Map<string, Map<number, number>>;
  /** Blobs the configured master keys cannot open. */
  unreadable: MasterBlob[];
};

/** Reads every master-sealed blob and tries to open it: one query per page, one unwrap per blob. */
export async function inspectMasterBlobs(): Promise<MasterInspection> {
  const wrapsByVersion = new Map<number, number>();
  const wrapsByKind = new Map<string, Map<number, number>>();
  const unreadable: MasterBlob[] = [];
  for (const kind of MASTER_KEY_BLOBS) {
    const ofKind = new Map<number, number>();
    wrapsByKind.set(kind.noun, ofKind);
    for await (const page of pagesOf(kind)) {
      for (const item of page) {
        const version = headerVersion(item);
        if (version !== null) {
          wrapsByVersion.set(version, (wrapsByVersion.get(version) ?? 0) + 1);
          ofKind.set(version, (ofKind.get(version) ?? 0) + 1);
        }
        const key = version === null ? null : tryUnwrap(item);
        if (key) key.fill(0);
        else unreadable.push(item);
      }
    }
  }
  return { wrapsByVersion, wrapsByKind, unreadable };
}

/** The master key versions that the unreadable blobs name (and are not configured). */
export function missingVersions(unreadable: MasterBlob[]): number[] {
  const ring = masterKeyring();
  const versions = unreadable.map(headerVersion).filter((v): v is number => v !== null && !ring.keys.has(v));
  return [...new Set(versions)].sort((a, b) => a - b);
}

type StartCheck = {
  /** One line saying what the configured master keys cannot serve (a refusal to start), or null. */
  problem: string | null;
  /** Lines about account second-factor secrets that fail their integrity check (the app still serves; those accounts cannot sign in). */
  warnings: string[];
};

/**
 * What the app checks before it serves: every project key must unwrap, and no
 * blob may name a master key version that is not configured (a refusal). An
 * account's second-factor secret that fails its integrity check under a
 * configured version only concerns that account: a warning, not a refusal.
 */
async function startCheck(): Promise<StartCheck> {
  const { unreadable } = await inspectMasterBlobs();
  const ring = masterKeyring();
  const isAccountOnly = (item: MasterBlob) => {
    const version = headerVersion(item);
    return item.projectId === null && version !== null && ring.keys.has(version);
  };
  const refused = unreadable.filter((item) => !isAccountOnly(item));
  const warnings = unreadable
    .filter(isAccountOnly)
    .map((item) => `${item.label} fails its integrity check: that account cannot sign in with its second factor until it is reset`);
  return { problem: refused.length === 0 ? null : describeUnreadable(refused), warnings };
}

/** The start check as lines for stderr: the refusal (null: serve) and the warnings, each prefixed `[keyhold] `. */
export async function startCheckLines(): Promise<{ refusal: string | null; warnings: string[] }> {
  const { problem, warnings } = await startCheck();
  return {
    refusal: problem === null ? null : `[keyhold] Refusing to start: ${problem}`,
    warnings: warnings.map((w) => `[keyhold] Warning: ${w}`),
  };
}

/** One line saying which projects the configured master keys cannot serve, or null when they all unwrap (see startCheck). */
export async function masterKeyProblem(): Promise<string | null> {
  return (await startCheck()).problem;
}

export function describeUnreadable(unreadable: MasterBlob[]): string {
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
  /** Project keys re-wrapped by this run. */
  rewrapped: number;
  /** Account second-factor secrets re-wrapped by this run. */
  rewrappedSecondFactors: number;
  /** Account second-factor secrets stored (all now under `version`). */
  secondFactors: number;
  /** Configured versions that no blob needs any more. */
  unneeded: number[];
  /** Value fingerprints recomputed under the newest master key by this run. */
  fingerprints: number;
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
  const pending = (noun: string) => [...(before.wrapsByKind.get(noun) ?? [])].reduce((sum, [version, n]) => sum + (version === target ? 0 : n), 0);
  const rewrappedByKind = new Map<string, number>();

  for (const kind of MASTER_KEY_BLOBS) {
    const what = `${kind.noun} re-wrapped`;
    const total = pending(kind.noun);
    let rewrapped = 0;
    // Project keys always show (0/0 too); other kinds only when there are any.
    if (total > 0 || kind === MASTER_KEY_BLOBS[0]) progress(what, 0, total);
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
        progress(what, Math.min(rewrapped, total), total);
        await afterBatch();
      },
    });
    rewrappedByKind.set(kind.noun, rewrapped);
  }

  const after = await inspectMasterBlobs();
  const stillUsed = [...after.wrapsByVersion.keys()].filter((v) => v !== target);
  if (stillUsed.length > 0) {
    throw new KeysError(
      `Some keys are still wrapped under master key version ${listed(stillUsed)} (written meanwhile by an app still configured without version ${target}?): give every app instance the new KEYHOLD_MASTER_KEY, restart it and run rotate-master again`,
    );
  }
  // Fingerprints are keyed by the newest master key (lib/secrets/fingerprint.ts): recomputed here, not left for the secrets page.
  const fingerprints = await refreshAllFingerprints((done, total) => total > 0 && progress('value fingerprints recomputed', done, total));
  const unneeded = [...ring.keys.keys()].filter((v) => v !== target).sort((a, b) => a - b);
  const secondFactors = [...(after.wrapsByKind.get('second-factor secrets') ?? new Map<number, number>()).values()].reduce((a, b) => a + b, 0);
  return {
    version: target,
    rewrapped: rewrappedByKind.get('project keys') ?? 0,
    rewrappedSecondFactors: rewrappedByKind.get('second-factor secrets') ?? 0,
    secondFactors,
    unneeded,
    fingerprints,
  };
}
