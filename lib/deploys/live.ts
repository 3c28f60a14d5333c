// No `server-only` marker: the /api/v1 handler (server.ts) and the in-process
// API (inside Next) both read through this cache (see lib/db.ts).
//
// What consumers read is an environment's latest SUCCEEDED deployment
// (DESIGN.md §7). Two caches (lib/cache.ts, shared by Next's bundled copy of
// this module and server.ts's copy):
//
// - live deployments: environment id → its live deployment (or "none yet"),
//   trusted for KEYHOLD_API_LIVE_TTL_MS (default 1 s; after that it is still
//   served while one background read refreshes it), and dropped on every
//   instance when a deployment of that environment succeeds (through
//   PostgreSQL on several instances). Staleness bound for a deployment made by
//   something that does not notify (a script): the TTL plus one database read.
// - snapshots: `${environmentId}:${deploymentId}` → its decrypted secrets and
//   their serialized bodies. A deployment is immutable, so an entry never goes
//   stale; the environment's entries are dropped when its live deployment changes.
//
// Decrypting happens only in the snapshot load (counted in liveStats.decrypts),
// so a 304 or a warm read decrypts nothing.
import { createCache, type Cache } from '@/lib/cache';
import { onDeploymentSucceeded } from '@/lib/deploys/events';
import { liveDeployment, readSnapshot, type LiveDeployment } from '@/lib/deploys/snapshot';
import { toDotenv } from '@/lib/dotenv-format.mjs';
import { db, isDatabaseUnavailable } from '@/lib/db';
import { env } from '@/lib/env';
import { logUnexpected } from '@/lib/log';

export type Live = Pick<LiveDeployment, 'id' | 'number' | 'projectId' | 'environmentId'>;

/** A decrypted deployment, ready to serve. Bodies are built on first use and kept. */
export type DeploymentEntry = {
  deployment: Live;
  secrets: ReadonlyMap<string, string>;
  /** `{"secrets":{...}}` as UTF-8. */
  json(): Buffer;
  /** The .env body (see lib/dotenv-format.ts) and the keys it had to leave out. */
  dotenv(): { body: Buffer; skipped: string[] };
};

type State = {
  subscribed: boolean;
  ttlMs: number | null;
  stats: { decrypts: number; liveReads: number };
};

const KEY = Symbol.for('keyhold.deploys.live');
const holder = globalThis as unknown as Record<symbol, State | undefined>;
const state: State = (holder[KEY] ??= { subscribed: false, ttlMs: null, stats: { decrypts: 0, liveReads: 0 } });

/** Counters for tests and the benchmark: snapshot decryptions and "which deployment is live" reads. */
export const liveStats = state.stats;

const ttl = () => (state.ttlMs ??= env().KEYHOLD_API_LIVE_TTL_MS);

/** Overrides KEYHOLD_API_LIVE_TTL_MS (tests). */
export function setLiveTtl(ms: number | null): void {
  state.ttlMs = ms;
}

const snapshotKey = (deployment: Live) => `${deployment.environmentId}:${deployment.id}`;

const liveDeployments: Cache<Live | null> = createCache<Live | null>({
  name: 'live-deployments',
  ttlMs: ttl,
  serveStale: true,
  // Keep the same object while nothing changed, so per-deployment memos stay warm.
  same: (previous, next) => previous?.id === next?.id,
  // While the database is away the cached answer keeps serving; no log line per request.
  onRefreshError: (error) => isDatabaseUnavailable(error) || logUnexpected('refreshing the live deployment failed', error),
  async load(environmentId) {
    state.stats.liveReads++;
    const row = await liveDeployment(environmentId);
    const live: Live | null = row ? { id: row.id, number: row.number, projectId: row.projectId, environmentId: row.environmentId } : null;
    const previous = liveDeployments.peek(environmentId);
    if (previous && previous.id !== live?.id) snapshots.forgetLocal({ key: snapshotKey(previous) });
    return live;
  },
});

const snapshots = createCache<DeploymentEntry, Live>({
  name: 'deployment-snapshots',
  ttlMs: () => Infinity,
  max: 1_000,
  async load(_key, deployment) {
    const secrets = await readSnapshot(deployment);
    state.stats.decrypts++;
    return makeEntry(deployment, secrets);
  },
});

function subscribe() {
  if (state.subscribed) return;
  state.subscribed = true;
  onDeploymentSucceeded((event) => forgetEnvironment(event.environmentId));
}

/** Drops what is cached for an environment, on every instance: its live deployment and its snapshots. */
function forgetEnvironment(environmentId: string): void {
  liveDeployments.invalidate(environmentId);
  snapshots.invalidatePrefix(`${environmentId}:`);
}

/** Empties both caches (tests). */
export function forgetAllLive(): void {
  liveDeployments.clear();
  snapshots.clear();
}

/**
 * The live deployment of an environment, synchronously when cached. An answer
 * older than the TTL is still served while one background read refreshes it;
 * a forgotten one (a deployment succeeded) is read first. Concurrent reads share one query.
 */
export function liveFor(environmentId: string): Live | null | Promise<Live | null> {
  subscribe();
  return liveDeployments.read(environmentId);
}

/** A deployment's decrypted snapshot: cached, else decrypted once (concurrent callers share it). */
export function readDeployment(deployment: Live): DeploymentEntry | Promise<DeploymentEntry> {
  return snapshots.read(snapshotKey(deployment), deployment);
}

function makeEntry(deployment: Live, secrets: ReadonlyMap<string, string>): DeploymentEntry {
  let json: Buffer | undefined;
  let dotenv: { body: Buffer; skipped: string[] } | undefined;
  return {
    deployment,
    secrets,
    // Object.fromEntries defines own properties, so a key named __proto__ stays an ordinary key.
    json: () => (json ??= Buffer.from(JSON.stringify({ secrets: Object.fromEntries(secrets) }), 'utf8')),
    dotenv: () => {
      if (!dotenv) {
        const { text, skipped } = toDotenv(secrets);
        dotenv = { body: Buffer.from(text, 'utf8'), skipped };
      }
      return dotenv;
    },
  };
}

/**
 * One secret's value as a given deployment holds it (live or not: e.g. the
 * deployment a deploy hook is delivering), by the secret's id, read through
 * the per-deployment snapshot cache. undefined when the deployment does not
 * contain that secret. For the deploy hook sender: signing with this value
 * signs with exactly what the deployment carries.
 */
export async function deploymentSecretValue(deployment: Live, secretId: string): Promise<string | undefined> {
  const item = await db.deploymentSecret.findFirst({ where: { deploymentId: deployment.id, secretId }, select: { key: true } });
  if (!item) return undefined;
  const entry = await readDeployment(deployment);
  return entry.secrets.get(item.key);
}
