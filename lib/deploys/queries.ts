import 'server-only';
import { Prisma } from '@/lib/generated/prisma/client';
import { db, provider } from '@/lib/db';
import { INTERRUPTED, isStalled } from '@/lib/deploys/authorized';
import { diffDeployments, hasPendingChanges } from '@/lib/deploys/diff';
import { hookOrigin, isDeployStatus, parseChanges, SIGNING_OPTIONS_LIMIT, type DeployStatus } from '@/lib/deploys/schemas';
import { LATEST_SUCCEEDED, latestSucceeded } from '@/lib/deploys/snapshot';
import type {
  DeploymentPage,
  DeploymentRow,
  EnvironmentDeployState,
  HookSettingsView,
  HookSummary,
  KeyMatrix,
  ProjectDeployOverview,
  RedeployPreview,
  SigningOptions,
} from '@/lib/deploys/types';
import { notFound } from '@/lib/errors';
import { allows } from '@/lib/permissions';
import { projectRole, requirePermission } from '@/lib/session';

// What the deploy pages read. Row data only: no decryption, never the
// snapshot column, never a value.

const DEPLOYMENTS_PAGE_SIZE = 50;

const hookSummary = (url: string | null, secretId: string | null): HookSummary | null => (url ? { origin: hookOrigin(url), signed: secretId !== null } : null);

const status = (value: string): DeployStatus => (isDeployStatus(value) ? value : 'FAILED');

async function environmentOf(projectId: string, environmentId: string) {
  const environment = await db.environment.findFirst({
    where: { id: environmentId, projectId },
    select: { id: true, name: true, deployHookUrl: true, hookSecretId: true },
  });
  if (!environment) throw notFound('Environment not found');
  return environment;
}

/** Latest SUCCEEDED deployment number per environment of a project: latestSucceeded's rule, for every environment in one query. */
async function liveNumbers(projectId: string): Promise<Map<string, number>> {
  const rows = await db.deployment.groupBy({
    by: ['environmentId'],
    where: { projectId, ...LATEST_SUCCEEDED.where },
    _max: { number: true },
  });
  return new Map(rows.map((row) => [row.environmentId, row._max.number ?? 0]));
}

/** The project's deployments, newest first; MEMBERs may read them. */
export async function listDeployments(
  projectId: string,
  { environmentId = null, cursor = null, limit = DEPLOYMENTS_PAGE_SIZE }: { environmentId?: string | null; cursor?: string | null; limit?: number } = {},
): Promise<DeploymentPage> {
  await requirePermission(projectId, 'viewProject');
  const rows = await db.deployment.findMany({
    where: { projectId, ...(environmentId ? { environmentId } : {}) },
    orderBy: [{ createdAt: 'desc' }, { number: 'desc' }, { id: 'desc' }],
    ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
    take: limit + 1,
    select: {
      id: true,
      number: true,
      environmentId: true,
      environment: { select: { name: true } },
      status: true,
      triggeredById: true,
      triggeredBy: true,
      createdAt: true,
      startedAt: true,
      finishedAt: true,
      changes: true,
      secretCount: true,
      error: true,
      hookStatus: true,
      attempts: true,
      rollbackOf: true,
    },
  });
  const page = rows.slice(0, limit);
  const [live, users] = await Promise.all([
    liveNumbers(projectId),
    db.user.findMany({
      where: { id: { in: [...new Set(page.map((r) => r.triggeredById).filter((id): id is string => !!id))] } },
      select: { id: true, name: true },
    }),
  ]);
  const names = new Map(users.map((u) => [u.id, u.name]));
  const now = Date.now();
  return {
    rows: page.map((row): DeploymentRow => {
      const liveNumber = live.get(row.environmentId) ?? 0;
      const stalled = isStalled(row, now);
      const failed = row.status === 'FAILED' || stalled;
      return {
        id: row.id,
        number: row.number,
        environmentId: row.environmentId,
        environment: row.environment.name,
        status: status(row.status),
        triggeredBy: (row.triggeredById && names.get(row.triggeredById)) || row.triggeredBy,
        createdAt: row.createdAt.toISOString(),
        startedAt: row.startedAt?.toISOString() ?? null,
        finishedAt: row.finishedAt?.toISOString() ?? null,
        durationMs: row.startedAt && row.finishedAt ? row.finishedAt.getTime() - row.startedAt.getTime() : null,
        changes: parseChanges(row.changes),
        secretCount: row.secretCount,
        error: stalled ? INTERRUPTED : row.error,
        hookStatus: row.hookStatus,
        attempts: row.attempts,
        live: row.status === 'SUCCEEDED' && row.number === liveNumber,
        stalled,
        retryable: failed && row.number > liveNumber,
        superseded: failed && row.number < liveNumber,
        rollbackOf: row.rollbackOf,
        canRollBack: row.status === 'SUCCEEDED' && row.number < liveNumber,
      };
    }),
    nextCursor: rows.length > limit ? page[page.length - 1].id : null,
  };
}

/** What Redeploy would change against the last successful deployment. Keys only; no decryption. */
export async function previewRedeploy(projectId: string, environmentId: string): Promise<RedeployPreview> {
  await requirePermission(projectId, 'redeploy');
  const environment = await environmentOf(projectId, environmentId);
  const [base, current] = await Promise.all([
    latestSucceeded(environmentId, {
      number: true,
      createdAt: true,
      items: { select: { secretId: true, key: true, version: true, revision: true } },
    }),
    db.secret.findMany({
      where: { projectId, environmentId },
      select: { id: true, key: true, currentVersion: true, revision: true },
    }),
  ]);
  return {
    environment: { id: environment.id, name: environment.name },
    base: base ? { number: base.number, createdAt: base.createdAt.toISOString() } : null,
    changes: diffDeployments(
      base?.items ?? null,
      current.map((s) => ({ secretId: s.id, key: s.key, version: s.currentVersion, revision: s.revision })),
    ),
    secretCount: current.length,
    hook: hookSummary(environment.deployHookUrl, environment.hookSecretId),
  };
}

/** Whether an environment has changes its latest successful deployment lacks (the Secrets page banner). */
export async function hasPendingDeploy(projectId: string, environmentId: string): Promise<boolean> {
  await requirePermission(projectId, 'viewProject');
  const environment = await db.environment.findFirst({
    where: { id: environmentId, projectId },
    select: {
      changedAt: true,
      deployments: { ...LATEST_SUCCEEDED, select: { createdAt: true } },
    },
  });
  if (!environment) throw notFound('Environment not found');
  return hasPendingChanges(environment.changedAt, environment.deployments[0]?.createdAt ?? null);
}

/** One environment's deploy state without its secret count, which projectDeployOverview reads for all environments at once. */
async function deployState(environment: {
  id: string;
  name: string;
  changedAt: Date | null;
  deployHookUrl: string | null;
  hookSecretId: string | null;
}): Promise<Omit<EnvironmentDeployState, 'secretCount'>> {
  const [live, last] = await Promise.all([
    latestSucceeded(environment.id, { number: true, createdAt: true, workingSetAt: true }),
    db.deployment.findFirst({
      where: { environmentId: environment.id },
      orderBy: { number: 'desc' },
      select: { number: true, status: true, error: true, createdAt: true, startedAt: true },
    }),
  ]);
  const lastStalled = last ? isStalled(last) : false;
  return {
    id: environment.id,
    name: environment.name,
    live: live ? { number: live.number, createdAt: live.createdAt.toISOString() } : null,
    // A rollback carries an older working set: compare with when that one was taken.
    pending: hasPendingChanges(environment.changedAt, live ? (live.workingSetAt ?? live.createdAt) : null),
    last: last
      ? {
          number: last.number,
          status: lastStalled ? 'FAILED' : status(last.status),
          error: lastStalled ? 'Delivery was interrupted' : last.error,
          createdAt: last.createdAt.toISOString(),
        }
      : null,
    hook: hookSummary(environment.deployHookUrl, environment.hookSecretId),
  };
}

/** The overview: each environment's state and the keys × environments matrix. Keys only; no decryption. */
export async function projectDeployOverview(projectId: string): Promise<ProjectDeployOverview> {
  await requirePermission(projectId, 'viewProject');
  const environments = await db.environment.findMany({
    where: { projectId },
    orderBy: { position: 'asc' },
    select: { id: true, name: true, changedAt: true, deployHookUrl: true, hookSecretId: true },
  });
  const [counts, states, matrix] = await Promise.all([
    // Counted here, over an index leading with (environmentId, projectId):
    // Prisma's relation `_count` groups the whole Secret table, every project's, before joining.
    db.secret.groupBy({ by: ['environmentId'], where: { projectId, environmentId: { in: environments.map((e) => e.id) } }, _count: { _all: true } }),
    Promise.all(environments.map(deployState)),
    keyMatrix(projectId, environments),
  ]);
  const secretCounts = new Map(counts.map((c) => [c.environmentId, c._count._all]));
  return { environments: states.map((state) => ({ ...state, secretCount: secretCounts.get(state.id) ?? 0 })), matrix };
}

/** Matrix rows rendered on the overview; keys missing somewhere come first. */
const MATRIX_ROW_LIMIT = 200;

/**
 * Rows = the project's keys, columns = its environments; keys missing somewhere
 * first, then by key. The database groups the keys over the (projectId, key,
 * environmentId) index and returns only the rows shown: a project of 10,000
 * keys sends 200 rows here, not 10,000 secrets. (A key is in an environment at
 * most once, so a key's row count is the number of environments that have it.)
 */
async function keyMatrix(projectId: string, environments: { id: string; name: string }[], limit = MATRIX_ROW_LIMIT): Promise<KeyMatrix> {
  const everywhere = environments.length;
  const [[counts], rows] = await Promise.all([
    db.$queryRaw<{ total: bigint | number; incomplete: bigint | number | null }[]>`
      SELECT count(*) AS "total", sum(CASE WHEN "n" < ${everywhere} THEN 1 ELSE 0 END) AS "incomplete"
      FROM (SELECT count(*) AS "n" FROM "Secret" WHERE "projectId" = ${projectId} GROUP BY "key") AS "keys"`,
    db.$queryRaw<{ key: string; environments: string }[]>`
      SELECT "key", string_agg("environmentId", ',') AS "environments"
      FROM "Secret" WHERE "projectId" = ${projectId}
      GROUP BY "key" ORDER BY count(*) = ${everywhere}, "key" LIMIT ${limit}`,
  ]);
  return {
    environments: environments.map((e) => ({ id: e.id, name: e.name })),
    rows: rows.map(({ key, environments: present }) => {
      const ids = new Set(present.split(','));
      return { key, present: environments.map((e) => ids.has(e.id)) };
    }),
    totalKeys: Number(counts.total),
    incompleteKeys: Number(counts.incomplete ?? 0),
  };
}

// Where a key holds a text, literally: LIKE (Prisma's `contains`) reads `_`,
// which nearly every key has, as "any character".
const KEY_HOLDS = Prisma.raw(provider === 'sqlite' ? 'instr' : 'strpos');

/** An environment's keys in key order, to sign its hook with; `search` narrows them to keys containing it (any case). */
async function signingOptions(projectId: string, environmentId: string, search = ''): Promise<SigningOptions> {
  const rows = await db.$queryRaw<{ id: string; key: string }[]>`
    SELECT "id", "key" FROM "Secret"
    WHERE "projectId" = ${projectId} AND "environmentId" = ${environmentId}
      ${search ? Prisma.sql`AND ${KEY_HOLDS}("keyFolded", ${search.toLowerCase()}) > 0` : Prisma.empty}
    ORDER BY "key" LIMIT ${SIGNING_OPTIONS_LIMIT + 1}`;
  return { options: rows.slice(0, SIGNING_OPTIONS_LIMIT), more: rows.length > SIGNING_OPTIONS_LIMIT };
}

/** The signing secret search of an environment with more keys than the select lists (owners and admins). */
export async function findSigningSecrets(projectId: string, environmentId: string, search: string): Promise<SigningOptions> {
  await requirePermission(projectId, 'manageDeployHooks');
  await environmentOf(projectId, environmentId);
  return signingOptions(projectId, environmentId, search.trim());
}

/** Each environment's deploy hook settings. Members see only where notifications go, not the full URL. */
export async function deployHookSettings(projectId: string): Promise<HookSettingsView[]> {
  await requirePermission(projectId, 'viewProject');
  const manage = allows(await projectRole(projectId), 'manageDeployHooks');
  const environments = await db.environment.findMany({
    where: { projectId },
    orderBy: { position: 'asc' },
    select: { id: true, name: true, deployHookUrl: true, hookSecretId: true },
  });
  const signing = await db.secret.findMany({
    where: { projectId, id: { in: environments.map((e) => e.hookSecretId).filter((id): id is string => !!id) } },
    select: { id: true, key: true },
  });
  const signingKeys = new Map(signing.map((s) => [s.id, s.key]));
  return Promise.all(
    environments.map(async (environment): Promise<HookSettingsView> => {
      const key = environment.hookSecretId ? signingKeys.get(environment.hookSecretId) : undefined;
      const { options, more } = manage ? await signingOptions(projectId, environment.id) : { options: [], more: false };
      const signingSecret = environment.hookSecretId && key ? { id: environment.hookSecretId, key } : null;
      if (signingSecret && manage && !options.some((o) => o.id === signingSecret.id)) options.push(signingSecret);
      return {
        environment: { id: environment.id, name: environment.name },
        url: manage ? environment.deployHookUrl : null,
        origin: environment.deployHookUrl ? hookOrigin(environment.deployHookUrl) : null,
        signingSecret,
        options,
        moreOptions: more,
      };
    }),
  );
}
