// No `server-only` marker: the /api/v1 handler (server.ts) and the in-process
// API note reads through this (see lib/db.ts).
//
// Machine reads, batched: every read through /api/v1 or the in-process API is
// counted in memory (no database write per request); once a minute (and on
// shutdown) each reader's batch becomes ONE `secrets.read` audit event per
// token (or in-process label) per environment, with the request count and the
// keys read, and the secrets read get their "last read" (Secret.lastRead*) in
// the same transaction. State lives on globalThis (Next's bundled copy and
// server.ts's copy share it), like the token registry.
import { recordAudit } from '@/lib/audit/mutations';
import { db } from '@/lib/db';
import { env } from '@/lib/env';
import { logUnexpected } from '@/lib/log';
import type { TokenRecord } from '@/lib/tokens/registry';
import { tokenLabel } from '@/lib/tokens/schemas';

/** Keys named in one event (the count is always complete). */
const EVENT_KEYS = 100;
const EVENT_ADDRESSES = 10;
/** Secrets updated per statement (far below SQL parameter limits). */
const CHUNK = 500;

type Batch = {
  projectId: string;
  environmentId: string;
  tokenId: string | null;
  /** The audit actor's label. */
  label: string;
  /** Who read, as the secrets table shows it: `token ci-production`, or the in-process label. */
  by: string;
  addresses: Set<string>;
  requests: number;
  from: number;
  to: number;
  /** Deployments read whole (list, dotenv, 304). */
  whole: Set<string>;
  /** Deployment id → the keys read one by one. */
  named: Map<string, Set<string>>;
};

type State = { batches: Map<string, Batch>; timer: ReturnType<typeof setInterval> | null; stats: { flushes: number; events: number } };

const KEY = Symbol.for('keyhold.audit.reads');
const holder = globalThis as unknown as Record<symbol, State | undefined>;
const state: State = (holder[KEY] ??= { batches: new Map(), timer: null, stats: { flushes: 0, events: 0 } });

/** Counters for tests and the benchmark. */
export const readStats = state.stats;

function startTimer(): void {
  state.timer = setInterval(() => void flushReads(), env().KEYHOLD_READS_FLUSH_MS);
  state.timer.unref?.();
}

function note(batch: Batch, deploymentId: string, key: string | null): void {
  batch.requests++;
  batch.to = Date.now();
  if (key === null) batch.whole.add(deploymentId);
  else {
    let keys = batch.named.get(deploymentId);
    if (!keys) batch.named.set(deploymentId, (keys = new Set()));
    keys.add(key);
  }
}

function newBatch(fields: Pick<Batch, 'projectId' | 'environmentId' | 'tokenId' | 'label' | 'by'>): Batch {
  if (!state.timer) startTimer();
  const now = Date.now();
  return { ...fields, addresses: new Set(), requests: 0, from: now, to: now, whole: new Set(), named: new Map() };
}

/** A read through /api/v1 by `token` of its environment's deployment: all of it (key null) or one key. */
export function noteTokenRead(token: TokenRecord, ip: string | null, deploymentId: string, key: string | null): void {
  let batch = state.batches.get(token.id);
  if (!batch) {
    batch = newBatch({
      projectId: token.projectId,
      environmentId: token.environmentId,
      tokenId: token.id,
      label: tokenLabel(token),
      by: `token ${token.name}`,
    });
    state.batches.set(token.id, batch);
  }
  if (ip !== null && batch.addresses.size < EVENT_ADDRESSES) batch.addresses.add(ip);
  note(batch, deploymentId, key);
}

/** The batch id of in-process reads by `label` of one environment (computed once per client). */
export const serverReaderId = (label: string, environmentId: string): string => `${label}\u0000${environmentId}`;

/** A read through the in-process API (lib/api/in-process.ts), audited as `label`; `id` is serverReaderId(label, scope.environmentId). */
export function noteServerRead(id: string, label: string, scope: { projectId: string; environmentId: string }, deploymentId: string, key: string | null): void {
  let batch = state.batches.get(id);
  if (!batch) {
    batch = newBatch({ ...scope, tokenId: null, label, by: label });
    state.batches.set(id, batch);
  }
  note(batch, deploymentId, key);
}

/** Writes every pending batch: one transaction per project. A batch that fails to write is kept for the next flush. */
export async function flushReads(): Promise<void> {
  if (state.batches.size === 0) return;
  const pending = [...state.batches];
  state.batches.clear();
  const byProject = new Map<string, [string, Batch][]>();
  for (const entry of pending) byProject.set(entry[1].projectId, [...(byProject.get(entry[1].projectId) ?? []), entry]);
  for (const entries of byProject.values()) {
    try {
      await writeReads(entries.map(([, batch]) => batch));
      state.stats.events += entries.length;
    } catch (error) {
      for (const [id, batch] of entries) keep(id, batch);
      logUnexpected('recording machine reads failed', error);
    }
  }
  state.stats.flushes++;
}

/** Puts a batch that was not written back, merged with what arrived meanwhile. */
function keep(id: string, batch: Batch): void {
  const newer = state.batches.get(id);
  if (newer) {
    batch.requests += newer.requests;
    batch.to = newer.to;
    for (const a of newer.addresses) if (batch.addresses.size < EVENT_ADDRESSES) batch.addresses.add(a);
    for (const d of newer.whole) batch.whole.add(d);
    for (const [d, keys] of newer.named) batch.named.set(d, new Set([...(batch.named.get(d) ?? []), ...keys]));
  }
  state.batches.set(id, batch);
}

async function writeReads(batches: Batch[]): Promise<void> {
  const environments = new Map(
    (await db.environment.findMany({ where: { id: { in: [...new Set(batches.map((b) => b.environmentId))] } }, select: { id: true, name: true } })).map((e) => [
      e.id,
      e.name,
    ]),
  );
  // What each batch read, by secret (as the deployments read carry them).
  const read = await Promise.all(
    batches.map(async (batch) => {
      const items = await db.deploymentSecret.findMany({
        where: {
          OR: [
            ...(batch.whole.size ? [{ deploymentId: { in: [...batch.whole] } }] : []),
            ...[...batch.named].map(([deploymentId, keys]) => ({ deploymentId, key: { in: [...keys] } })),
          ],
        },
        select: { secretId: true, key: true },
      });
      return { keys: [...new Set(items.map((i) => i.key))].sort(), secretIds: [...new Set(items.map((i) => i.secretId))].sort() };
    }),
  );
  await db.$transaction(
    async (tx) => {
      // Every secret first, the chain last (as every secret write does), so concurrent writers on PostgreSQL never deadlock.
      for (const [i, batch] of batches.entries()) {
        const at = new Date(batch.to);
        const { secretIds } = read[i];
        for (let c = 0; c < secretIds.length; c += CHUNK) {
          await tx.secret.updateMany({
            // Never backwards: another instance may have written a later read.
            where: { id: { in: secretIds.slice(c, c + CHUNK) }, environmentId: batch.environmentId, OR: [{ lastReadAt: null }, { lastReadAt: { lt: at } }] },
            data: { lastReadAt: at, lastReadTokenId: batch.tokenId, lastReadBy: batch.by },
          });
        }
      }
      for (const [i, batch] of batches.entries()) {
        const environment = environments.get(batch.environmentId) ?? null;
        const addresses = [...batch.addresses];
        const { keys } = read[i];
        await recordAudit(
          tx,
          { userId: null, tokenId: batch.tokenId, label: batch.label, ip: addresses.at(-1) ?? null },
          {
            projectId: batch.projectId,
            action: 'secrets.read',
            targetType: 'environment',
            targetId: batch.environmentId,
            targetLabel: environment ?? undefined,
            environment: environment ?? undefined,
            details: {
              requests: batch.requests,
              keys: keys.slice(0, EVENT_KEYS),
              keysCount: keys.length,
              from: new Date(batch.from).toISOString(),
              to: new Date(batch.to).toISOString(),
              ...(addresses.length > 1 ? { addresses } : {}),
            },
          },
        );
      }
    },
    { maxWait: 10_000, timeout: 30_000 },
  );
}

/** Stops the periodic flush (shutdown, tests); call flushReads() after it to write what is pending. */
export function stopReadTimer(): void {
  if (state.timer) clearInterval(state.timer);
  state.timer = null;
}

/** Reads not yet written (tests). */
export const pendingReads = (): number => state.batches.size;
