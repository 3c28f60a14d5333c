// No `server-only` marker: the /api/v1 handler (server.ts) and the in-process
// API (inside Next) both read through this cache (see lib/db.ts).
//
// What consumers read is an environment's latest SUCCEEDED deployment
// (DESIGN.md §7). Two caches, on globalThis so Next's bundled copy of this
// module and server.ts's copy share them:
//
// - live: environment id → its live deployment (or "none yet"), trusted for
//   KEYHOLD_API_LIVE_TTL_MS (default 1 s; after that it is still served while
//   one background read refreshes it), and dropped at once when a deployment
//   of that environment succeeds in this process (onDeploymentSucceeded).
//   Staleness bound: a deployment that succeeds in ANOTHER process (another
//   instance, a script) is served within the TTL plus one database read.
// - snapshots: deployment id → its decrypted secrets and their serialized
//   bodies. A deployment is immutable, so an entry never goes stale; it is
//   dropped when its environment's live deployment changes.
//
// Decrypting happens only in readDeployment (counted in liveStats.decrypts),
// so a 304 or a warm read decrypts nothing.
import { onDeploymentSucceeded } from '@/lib/deploys/events';
import { liveDeployment, readSnapshot, type LiveDeployment } from '@/lib/deploys/snapshot';
import { toDotenv } from '@/lib/dotenv-format.mjs';
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
  live: Map<string, { live: Live | null; at: number }>;
  loadingLive: Map<string, Promise<Live | null>>;
  entries: Map<string, DeploymentEntry>;
  loadingEntries: Map<string, Promise<DeploymentEntry>>;
  /** Bumped when an environment is forgotten, so a read already in flight does not store a stale answer. */
  generations: Map<string, number>;
  subscribed: boolean;
  ttlMs: number | null;
  stats: { decrypts: number; liveReads: number };
};

const KEY = Symbol.for('keyhold.sdk.live');
const holder = globalThis as unknown as Record<symbol, State | undefined>;
const state: State = (holder[KEY] ??= {
  live: new Map(),
  loadingLive: new Map(),
  entries: new Map(),
  loadingEntries: new Map(),
  generations: new Map(),
  subscribed: false,
  ttlMs: null,
  stats: { decrypts: 0, liveReads: 0 },
});

/** Counters for tests and the benchmark: snapshot decryptions and "which deployment is live" reads. */
export const liveStats = state.stats;

function subscribe() {
  if (state.subscribed) return;
  state.subscribed = true;
  onDeploymentSucceeded((event) => forgetEnvironment(event.environmentId));
}

const ttl = () => (state.ttlMs ??= env().KEYHOLD_API_LIVE_TTL_MS);

/** Overrides KEYHOLD_API_LIVE_TTL_MS (tests). */
export function setLiveTtl(ms: number | null): void {
  state.ttlMs = ms;
}

/** Drops what is cached for an environment: its live deployment and the snapshots of its older deployments. */
export function forgetEnvironment(environmentId: string): void {
  state.generations.set(environmentId, (state.generations.get(environmentId) ?? 0) + 1);
  state.loadingLive.delete(environmentId);
  state.live.delete(environmentId);
  for (const [id, entry] of state.entries) {
    if (entry.deployment.environmentId === environmentId) state.entries.delete(id);
  }
}

/** Empties both caches (tests). */
export function forgetAllLive(): void {
  state.live.clear();
  state.entries.clear();
}

/**
 * The live deployment of an environment, synchronously when cached. An answer
 * older than the TTL is still served while one background read refreshes it
 * (no request waits on the periodic check); a forgotten one (a deployment
 * succeeded in this process) is read first. Concurrent reads share one query.
 */
export function liveFor(environmentId: string): Live | null | Promise<Live | null> {
  subscribe();
  const hit = state.live.get(environmentId);
  if (!hit) return state.loadingLive.get(environmentId) ?? loadLive(environmentId);
  if (Date.now() - hit.at > ttl() && !state.loadingLive.has(environmentId)) {
    loadLive(environmentId).catch((error) => logUnexpected('refreshing the live deployment failed', error));
  }
  return hit.live;
}

function loadLive(environmentId: string): Promise<Live | null> {
  const generation = state.generations.get(environmentId) ?? 0;
  const load = (async () => {
    state.stats.liveReads++;
    const row = await liveDeployment(environmentId);
    const live: Live | null = row ? { id: row.id, number: row.number, projectId: row.projectId, environmentId: row.environmentId } : null;
    if ((state.generations.get(environmentId) ?? 0) === generation) {
      const previous = state.live.get(environmentId)?.live;
      if (previous && previous.id !== live?.id) state.entries.delete(previous.id);
      // Keep the same object while nothing changed, so per-deployment memos stay warm.
      state.live.set(environmentId, { live: previous && live && previous.id === live.id ? previous : live, at: Date.now() });
    }
    return live;
  })().finally(() => {
    if (state.loadingLive.get(environmentId) === load) state.loadingLive.delete(environmentId);
  });
  state.loadingLive.set(environmentId, load);
  return load;
}

/** The decrypted deployment if cached (no await, no decryption). */
export function cachedDeployment(deploymentId: string): DeploymentEntry | undefined {
  return state.entries.get(deploymentId);
}

/** A deployment's decrypted snapshot: cached, else decrypted once (concurrent callers share it). */
export function readDeployment(deployment: Live): DeploymentEntry | Promise<DeploymentEntry> {
  const hit = state.entries.get(deployment.id);
  if (hit) return hit;
  const pending = state.loadingEntries.get(deployment.id);
  if (pending) return pending;
  const load = (async () => {
    const secrets = await readSnapshot(deployment);
    state.stats.decrypts++;
    const entry = makeEntry(deployment, secrets);
    // Keep it only while it is (or may be) what the environment serves.
    const live = state.live.get(deployment.environmentId)?.live;
    if (!live || live.id === deployment.id) state.entries.set(deployment.id, entry);
    return entry;
  })().finally(() => state.loadingEntries.delete(deployment.id));
  state.loadingEntries.set(deployment.id, load);
  return load;
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
