// The one implementation of redeploy and retry, for callers that have ALREADY
// authorized the actor they pass (hence `authorized…`, as lib/secrets/authorized.ts):
// a signed-in user's redeploy (lib/deploys/mutations.ts) and the machine API's
// (lib/api/operations.ts). No `server-only` marker: server.ts loads the
// /api/v1 handler outside Next's bundler.
//
import { randomUUID } from 'node:crypto';
import { logUnexpected } from '@/lib/log';
import { recordAudit, type AuditActor } from '@/lib/audit/mutations';
import { decryptValue, IntegrityError } from '@/lib/crypto/envelope';
import { db, isUniqueViolation, lockRow, type Tx } from '@/lib/db';
import { diffDeployments, type DeployedItem } from '@/lib/deploys/diff';
import { emitDeploymentSucceeded } from '@/lib/deploys/events';
import { buildHookRequest, HOOK_TIMEOUT_MS, hookPayload, postHook, type HookOutcome, type PostHookOptions } from '@/lib/deploys/hook';
import { hookOrigin, isDeployStatus, MESSAGES, parseChanges, type ChangeSummary } from '@/lib/deploys/schemas';
import { deploymentSecretValue } from '@/lib/deploys/live';
import { latestSucceeded, openSnapshot, sealSnapshot } from '@/lib/deploys/snapshot';
import type { DeliveryResult } from '@/lib/deploys/types';
import { conflict, notFound } from '@/lib/errors';
import { countEncryption } from '@/lib/keys/rotate-project';
import { projectKeys, type ProjectKeys } from '@/lib/projects/keys';

// Redeploy, retry, deploy hook settings.
//
// A redeploy is two steps. (1) One transaction snapshots the environment: it
// reads every secret with its current version, decrypts the values, seals them
// into one blob, and inserts the numbered QUEUED deployment, the versions it
// was made from and the audit event. (2) Delivery: RUNNING, POST the hook (if
// any), then SUCCEEDED or FAILED with its audit event. Consumers read the
// latest SUCCEEDED deployment by number, so a failed or running one never
// serves, and an older deployment that succeeds late never replaces a newer
// live one.

export type DeliveryOptions = PostHookOptions;

/** A delivery takes at most the hook timeout (10 s); QUEUED/RUNNING for this long means the server stopped mid-delivery. */
const STALL_AFTER_MS = 2 * 60_000;

/** Why a stalled deployment did not finish. */
export const INTERRUPTED = 'Delivery was interrupted (the server stopped while delivering)';

export function isStalled(row: { status: string; startedAt: Date | null; createdAt: Date }, now = Date.now()): boolean {
  if (row.status !== 'QUEUED' && row.status !== 'RUNNING') return false;
  return now - (row.startedAt ?? row.createdAt).getTime() > STALL_AFTER_MS;
}

/** Large environments: read current versions in chunks to stay far below SQL parameter limits. */
const CHUNK = 250;

async function currentBlobs(tx: Tx, secrets: { id: string; currentVersion: number }[]): Promise<Map<string, Uint8Array>> {
  const blobs = new Map<string, Uint8Array>();
  for (let i = 0; i < secrets.length; i += CHUNK) {
    const chunk = secrets.slice(i, i + CHUNK);
    const rows = await tx.secretVersion.findMany({
      where: { OR: chunk.map((s) => ({ secretId: s.id, version: s.currentVersion })) },
      select: { secretId: true, blob: true },
    });
    for (const row of rows) blobs.set(row.secretId, row.blob);
  }
  return blobs;
}

/** Up to 100 keys per list in an audit event, with the full count (the deployment row keeps them all). */
const AUDIT_KEYS = 100;
const auditKeys = (name: 'added' | 'changed' | 'removed', entries: { key: string }[]) => ({
  [name]: entries.slice(0, AUDIT_KEYS).map((entry) => entry.key),
  [`${name}Count`]: entries.length,
});

type Created = { id: string; number: number; environment: string; changes: ChangeSummary };

/** The last SUCCEEDED deployment of an environment with the versions it was made from: what consumers read. */
const liveWithItems = (tx: Tx, environmentId: string) =>
  latestSucceeded(environmentId, { number: true, items: { select: { secretId: true, key: true, version: true, revision: true } } }, tx);

type NewDeployment = {
  id: string;
  projectId: string;
  environmentId: string;
  environment: string;
  keys: ProjectKeys;
  values: Map<string, string>;
  items: DeployedItem[];
  /** Against the live deployment. */
  changes: ChangeSummary;
  createdAt: Date;
  /** A rollback: the deployment whose secrets it carries, and when that one's working set was taken. */
  rollback?: { of: number; workingSetAt: Date };
};

/** Inserts a numbered QUEUED deployment, its items and its audit event (inside the caller's transaction, environment locked). */
async function insertDeployment(tx: Tx, actor: AuditActor, d: NewDeployment): Promise<Created> {
  const max = await tx.deployment.aggregate({ where: { environmentId: d.environmentId }, _max: { number: true } });
  const number = (max._max.number ?? 0) + 1;
  await tx.deployment.create({
    data: {
      id: d.id,
      projectId: d.projectId,
      environmentId: d.environmentId,
      number,
      status: 'QUEUED',
      triggeredById: actor.userId,
      triggeredBy: actor.label,
      changes: JSON.stringify(d.changes),
      snapshot: sealSnapshot(d.keys, d.id, d.values),
      secretCount: d.items.length,
      createdAt: d.createdAt,
      rollbackOf: d.rollback?.of ?? null,
      workingSetAt: d.rollback?.workingSetAt ?? null,
    },
  });
  d.values.clear();
  if (d.items.length > 0) {
    await tx.deploymentSecret.createMany({
      data: d.items.map((item) => ({ deploymentId: d.id, secretId: item.secretId, key: item.key, version: item.version, revision: item.revision })),
    });
  }
  await countEncryption(tx, d.projectId, d.keys.current.version);
  await recordAudit(tx, actor, {
    projectId: d.projectId,
    action: d.rollback ? 'deploy.rolled_back' : 'deploy.created',
    targetType: 'deployment',
    targetId: d.id,
    targetLabel: `#${number}`,
    environment: d.environment,
    details: {
      number,
      ...(d.rollback ? { rollbackOf: d.rollback.of } : {}),
      secrets: d.items.length,
      ...auditKeys('added', d.changes.added),
      ...auditKeys('changed', d.changes.changed),
      ...auditKeys('removed', d.changes.removed),
    },
  });
  return { id: d.id, number, environment: d.environment, changes: d.changes };
}

/** Step 1: the snapshot, in one transaction, holding the environment's row lock. */
async function snapshotEnvironment(projectId: string, environmentId: string, actor: AuditActor): Promise<Created> {
  const id = randomUUID();
  return db.$transaction(
    async (tx) => {
      // Taken first: an edit committed after this transaction has a later changedAt, so it shows as pending.
      const snapshotAt = new Date();
      // Every secret write updates this row too: deployments number one after another, and an edit cannot commit halfway through a snapshot.
      await lockRow(tx, 'Environment', { id: environmentId, projectId });
      const environment = await tx.environment.findFirst({ where: { id: environmentId, projectId }, select: { name: true } });
      if (!environment) throw notFound('Environment not found');
      const keys = await projectKeys(projectId, tx);
      const secrets = await tx.secret.findMany({
        where: { projectId, environmentId },
        orderBy: { key: 'asc' },
        select: { id: true, key: true, currentVersion: true, revision: true },
      });
      const blobs = await currentBlobs(tx, secrets);
      const values = new Map<string, string>();
      for (const secret of secrets) {
        const blob = blobs.get(secret.id);
        try {
          if (!blob) throw new IntegrityError(`secret ${secret.id}`);
          values.set(secret.key, decryptValue(keys.keyFor, blob, secret.id, secret.currentVersion));
        } catch (error) {
          if (error instanceof IntegrityError) {
            throw conflict(`The value of ${secret.key} could not be decrypted (integrity check failed), so nothing was deployed.`);
          }
          throw error;
        }
      }
      const items: DeployedItem[] = secrets.map((s) => ({ secretId: s.id, key: s.key, version: s.currentVersion, revision: s.revision }));
      const base = await liveWithItems(tx, environmentId);
      const changes = diffDeployments(base?.items ?? null, items);
      return insertDeployment(tx, actor, { id, projectId, environmentId, environment: environment.name, keys, values, items, changes, createdAt: snapshotAt });
    },
    // A large environment takes a while to decrypt, and a concurrent redeploy waits for this one.
    { maxWait: 15_000, timeout: 60_000 },
  );
}

/**
 * Step 1 of a rollback: a new deployment carrying exactly the secrets of an
 * older successful one (its snapshot, sealed again under the new id, and the
 * versions it was made from). The working set is not touched.
 */
async function rollbackSnapshot(projectId: string, deploymentId: string, actor: AuditActor): Promise<Created> {
  const id = randomUUID();
  return db.$transaction(
    async (tx) => {
      const createdAt = new Date();
      const target = await tx.deployment.findFirst({
        where: { id: deploymentId, projectId },
        select: {
          number: true,
          status: true,
          environmentId: true,
          environment: { select: { name: true } },
          snapshot: true,
          createdAt: true,
          workingSetAt: true,
          items: { select: { secretId: true, key: true, version: true, revision: true } },
        },
      });
      if (!target) throw notFound(MESSAGES.deploymentGone);
      await lockRow(tx, 'Environment', { id: target.environmentId, projectId });
      if (target.status !== 'SUCCEEDED') throw conflict(MESSAGES.rollbackNotSucceeded(target.number));
      const live = await liveWithItems(tx, target.environmentId);
      if (!live || live.number <= target.number) throw conflict(MESSAGES.rollbackIsLive(target.number));
      const keys = await projectKeys(projectId, tx);
      let values: Map<string, string>;
      try {
        values = new Map(openSnapshot(keys, deploymentId, target.snapshot));
      } catch (error) {
        if (error instanceof IntegrityError) throw conflict(MESSAGES.rollbackIntegrity(target.number));
        throw error;
      }
      const items: DeployedItem[] = target.items.map((item) => ({ ...item }));
      return insertDeployment(tx, actor, {
        id,
        projectId,
        environmentId: target.environmentId,
        environment: target.environment.name,
        keys,
        values,
        items,
        changes: diffDeployments(live.items, items),
        createdAt,
        rollback: { of: target.number, workingSetAt: target.workingSetAt ?? target.createdAt },
      });
    },
    { maxWait: 15_000, timeout: 60_000 },
  );
}

type Claimed = { id: string; projectId: string; environmentId: string; number: number; changes: string; attempt: number };

/** Step 2: deliver a deployment this caller has claimed (status RUNNING, attempts bumped). */
async function deliver(claimed: Claimed, actor: AuditActor, { timeoutMs = HOOK_TIMEOUT_MS, resolve }: DeliveryOptions): Promise<DeliveryResult> {
  const environment = await db.environment.findUniqueOrThrow({
    where: { id: claimed.environmentId },
    select: { name: true, deployHookUrl: true, hookSecretId: true, project: { select: { slug: true, name: true } } },
  });
  let outcome: HookOutcome | null = null;
  let signed = false;
  if (environment.deployHookUrl) {
    try {
      let secret: string | null = null;
      if (environment.hookSecretId) {
        // The value in the snapshot being delivered, read through the in-process API.
        const value = await deploymentSecretValue(claimed, environment.hookSecretId);
        if (value === undefined) throw new MissingSigningSecret();
        secret = value;
        signed = true;
      }
      const at = new Date();
      const payload = hookPayload({
        project: environment.project,
        environment: environment.name,
        deployment: claimed.number,
        changes: parseChanges(claimed.changes),
        at,
      });
      outcome = await postHook(environment.deployHookUrl, buildHookRequest(payload, secret, at), { timeoutMs, resolve });
    } catch (error) {
      if (error instanceof MissingSigningSecret) {
        outcome = {
          ok: false,
          status: null,
          error: 'The signing secret is not part of this deployment. Choose another one in Settings → General, or redeploy.',
        };
      } else if (error instanceof IntegrityError) {
        outcome = { ok: false, status: null, error: 'The signing secret could not be decrypted (integrity check failed).' };
      } else {
        logUnexpected('deploy hook delivery failed', error);
        outcome = { ok: false, status: null, error: 'Delivery failed unexpectedly' };
      }
    }
  }

  const succeeded = outcome === null || outcome.ok;
  const error = outcome && !outcome.ok ? outcome.error : null;
  const hookStatus = outcome ? outcome.status : null;
  await db.$transaction(async (tx) => {
    // Only the claim this call made may finish the deployment.
    const { count } = await tx.deployment.updateMany({
      where: { id: claimed.id, status: 'RUNNING', attempts: claimed.attempt },
      data: { status: succeeded ? 'SUCCEEDED' : 'FAILED', finishedAt: new Date(), error, hookStatus },
    });
    if (count === 0) return;
    await recordAudit(tx, actor, {
      projectId: claimed.projectId,
      action: succeeded ? 'deploy.succeeded' : 'deploy.failed',
      targetType: 'deployment',
      targetId: claimed.id,
      targetLabel: `#${claimed.number}`,
      environment: environment.name,
      details: {
        number: claimed.number,
        attempt: claimed.attempt,
        hook: environment.deployHookUrl ? hookOrigin(environment.deployHookUrl) : null,
        signed,
        hookStatus,
        error,
      },
    });
  });
  if (succeeded) {
    emitDeploymentSucceeded({
      projectId: claimed.projectId,
      environmentId: claimed.environmentId,
      deploymentId: claimed.id,
      number: claimed.number,
    });
  }
  return { id: claimed.id, number: claimed.number, environment: environment.name, status: succeeded ? 'SUCCEEDED' : 'FAILED', error };
}

class MissingSigningSecret extends Error {}

const claimSelect = { id: true, projectId: true, environmentId: true, number: true, changes: true, attempts: true } as const;

/** A deployment just taken and claimed for delivery (RUNNING), and its delivery under way. */
export type StartedDeployment = { id: string; number: number; environment: string; changes: ChangeSummary; delivery: Promise<DeliveryResult> };

/**
 * Snapshots the environment's current secrets as a new numbered deployment and
 * starts delivering it; the caller has checked that `actor` may redeploy. Two
 * redeploys at once give two consecutive deployments, each a consistent snapshot.
 */
export async function authorizedStartRedeploy(
  actor: AuditActor,
  projectId: string,
  environmentId: string,
  options: DeliveryOptions = {},
): Promise<StartedDeployment> {
  return startAs(() => snapshotEnvironment(projectId, environmentId, actor), actor, options);
}

/**
 * `Roll back to #n`: a new numbered deployment whose secrets are exactly those
 * of #n (a successful deployment older than the live one), delivered like any
 * deployment and audited as `deploy.rolled_back`; the caller has checked that
 * `actor` may redeploy. The working set is not changed, so the environment then
 * shows pending changes.
 */
export async function authorizedStartRollback(
  actor: AuditActor,
  projectId: string,
  deploymentId: string,
  options: DeliveryOptions = {},
): Promise<StartedDeployment> {
  return startAs(() => rollbackSnapshot(projectId, deploymentId, actor), actor, options);
}

async function startAs(create: () => Promise<Created>, actor: AuditActor, options: DeliveryOptions): Promise<StartedDeployment> {
  let created: Created;
  try {
    created = await create();
  } catch (error) {
    // The environment lock serializes deployments; should two still read the same highest number, the loser takes the next one.
    if (!isUniqueViolation(error)) throw error;
    created = await create();
  }
  const claimed = await db.deployment.update({
    where: { id: created.id, status: 'QUEUED' },
    data: { status: 'RUNNING', startedAt: new Date(), attempts: { increment: 1 } },
    select: claimSelect,
  });
  return { ...created, delivery: deliver({ ...claimed, attempt: claimed.attempts }, actor, options) };
}

/**
 * Delivers a FAILED (or stalled) deployment again: the same snapshot, with the
 * environment's current hook settings and attempts + 1. Only a deployment newer
 * than the live one may be retried, so a retry can never go live over a newer
 * successful deployment; an older one is superseded (redeploy instead).
 */
export async function authorizedRetryDeployment(
  actor: AuditActor,
  projectId: string,
  deploymentId: string,
  options: DeliveryOptions = {},
): Promise<DeliveryResult> {
  const claimed = await db.$transaction(async (tx) => {
    const deployment = await tx.deployment.findFirst({
      where: { id: deploymentId, projectId },
      select: { ...claimSelect, status: true, startedAt: true, createdAt: true },
    });
    if (!deployment) throw notFound(MESSAGES.deploymentGone);
    const stalled = isStalled(deployment);
    if (deployment.status !== 'FAILED' && !stalled) {
      throw conflict(`Deployment #${deployment.number} is ${deployment.status.toLowerCase()} and cannot be retried.`);
    }
    const live = await latestSucceeded(deployment.environmentId, { number: true }, tx);
    if (live && live.number > deployment.number) {
      throw conflict(`Deployment #${deployment.number} was superseded by #${live.number}, which already succeeded. Redeploy instead.`);
    }
    const staleBefore = new Date(Date.now() - STALL_AFTER_MS);
    const { count } = await tx.deployment.updateMany({
      where: {
        id: deployment.id,
        OR: [
          { status: 'FAILED' },
          { status: { in: ['QUEUED', 'RUNNING'] }, startedAt: { lt: staleBefore } },
          { status: 'QUEUED', startedAt: null, createdAt: { lt: staleBefore } },
        ],
      },
      data: { status: 'RUNNING', startedAt: new Date(), finishedAt: null, error: null, hookStatus: null, attempts: { increment: 1 } },
    });
    if (count === 0) throw conflict(`Deployment #${deployment.number} is already being delivered.`);
    return { ...deployment, attempt: deployment.attempts + 1 };
  });
  return deliver(claimed, actor, options);
}

/** One deployment as the machine API shows it: number, status, the key-level diff; never a value. */
export type DeploymentView = {
  number: number;
  environment: string;
  status: 'QUEUED' | 'RUNNING' | 'SUCCEEDED' | 'FAILED';
  /** QUEUED or RUNNING for longer than a delivery can take: the server stopped while delivering (retry it in Keyhold). */
  interrupted: boolean;
  error: string | null;
  changes: ChangeSummary;
  secretCount: number;
  createdAt: string;
  finishedAt: string | null;
};

/** A deployment of one environment by number, or null. */
export async function authorizedDeployment(scope: { projectId: string; environmentId: string }, number: number): Promise<DeploymentView | null> {
  const row = await db.deployment.findFirst({
    where: { projectId: scope.projectId, environmentId: scope.environmentId, number },
    select: {
      number: true,
      status: true,
      error: true,
      changes: true,
      secretCount: true,
      createdAt: true,
      startedAt: true,
      finishedAt: true,
      environment: { select: { name: true } },
    },
  });
  if (!row) return null;
  const interrupted = isStalled(row);
  return {
    number: row.number,
    environment: row.environment.name,
    status: isDeployStatus(row.status) ? row.status : 'FAILED',
    interrupted,
    error: interrupted ? INTERRUPTED : row.error,
    changes: parseChanges(row.changes),
    secretCount: row.secretCount,
    createdAt: row.createdAt.toISOString(),
    finishedAt: row.finishedAt?.toISOString() ?? null,
  };
}
