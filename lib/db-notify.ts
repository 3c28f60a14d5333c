// No `server-only` marker: server.ts starts this (see lib/db.ts).
//
// Cross-instance cache invalidation on PostgreSQL (DESIGN.md §10): each
// instance holds one dedicated connection (not one from the pool) that
// LISTENs on a channel; lib/cache.ts publishes every invalidation with
// pg_notify, and every other instance drops the same keys. When the
// connection drops, every cache is treated as stale (at once, then every
// second until it is back: the periodic check), and it reconnects with backoff.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { applyInvalidation, markAllStale, setInvalidationPublisher, type Invalidation } from '@/lib/cache';
import { db } from '@/lib/db';

const CHANNEL = 'keyhold_cache';
const STALE_CHECK_MS = 1_000;
const BACKOFF_MS = [100, 250, 500, 1_000, 2_000, 5_000];

type Message = Invalidation & { from: string };

export type ChangeListener = { stop(): Promise<void>; connected(): boolean };

/** Starts listening for other instances' invalidations and publishing this one's. */
export function startChangeListener(connectionString: string): ChangeListener {
  const instance = randomUUID();
  let client: pg.Client | null = null;
  let connected = false;
  let stopped = false;
  let attempt = 0;
  let retryTimer: ReturnType<typeof setTimeout> | null = null;
  let staleTimer: ReturnType<typeof setInterval> | null = null;

  const lost = () => {
    if (stopped) return;
    connected = false;
    markAllStale();
    staleTimer ??= setInterval(markAllStale, STALE_CHECK_MS);
    staleTimer.unref?.();
    const delay = BACKOFF_MS[Math.min(attempt++, BACKOFF_MS.length - 1)];
    retryTimer ??= setTimeout(() => {
      retryTimer = null;
      void connect();
    }, delay);
    retryTimer.unref?.();
  };

  async function connect(): Promise<void> {
    const next = new pg.Client({ connectionString, connectionTimeoutMillis: 5_000, keepAlive: true });
    next.on('error', () => undefined); // 'end' follows and handles it
    next.on('end', () => {
      if (client === next) {
        client = null;
        lost();
      }
    });
    next.on('notification', (n) => {
      if (n.channel !== CHANNEL || !n.payload) return;
      try {
        const message = JSON.parse(n.payload) as Message;
        if (message.from !== instance) applyInvalidation(message);
      } catch {
        // Not ours (or another version's): ignore.
      }
    });
    try {
      await next.connect();
      await next.query(`LISTEN ${CHANNEL}`);
    } catch {
      await next.end().catch(() => undefined);
      lost();
      return;
    }
    if (stopped) return void (await next.end().catch(() => undefined));
    client = next;
    connected = true;
    attempt = 0;
    if (staleTimer) clearInterval(staleTimer);
    staleTimer = null;
    // Whatever changed while no notification could arrive: treat it all as stale.
    markAllStale();
  }

  setInvalidationPublisher((message) => {
    const payload = JSON.stringify({ ...message, from: instance } satisfies Message);
    // Best effort after the change committed: if it fails, the others see the change when their TTL runs out.
    db.$executeRaw`SELECT pg_notify(${CHANNEL}, ${payload})`.catch(() => undefined);
  });
  void connect();

  return {
    connected: () => connected,
    async stop() {
      stopped = true;
      setInvalidationPublisher(null);
      if (retryTimer) clearTimeout(retryTimer);
      if (staleTimer) clearInterval(staleTimer);
      const current = client;
      client = null;
      await current?.end().catch(() => undefined);
    },
  };
}
