// No `server-only` marker and no database import: server.ts's lean /api/v1
// handler and Next's bundle both use this (see lib/db.ts), and lib/db-notify.ts
// plugs the cross-instance transport in.
//
// The one cache mechanism (CONVENTIONS.md "Caches"): key → value with a time
// to live, in-flight de-duplication, invalidation by key or prefix, and
// invalidation across instances through the database (PostgreSQL
// LISTEN/NOTIFY; on SQLite there is one process, so it stays local).
//
// Every cache is registered by name on globalThis, so Next's bundled copy of
// this module and server.ts's copy share one registry, and a notification
// from another instance finds the cache it names.

/** C: what a load needs beyond the key (e.g. the deployment row whose snapshot to decrypt). */
export type CacheOptions<V, C = void> = {
  /** Unique name: what a cross-instance invalidation names. */
  name: string;
  /** Reads the value for a key from the source of truth. */
  load: (key: string, context: C) => Promise<V>;
  /** How long a value is trusted (ms; Infinity for immutable values). Read on each use, so tests can change it. */
  ttlMs: () => number;
  /** Past the TTL, answer the old value while one background read refreshes it (no request waits on the periodic check). */
  serveStale?: boolean;
  /** At most this many entries; the oldest tenth is dropped when full. */
  max?: number;
  /** Keep the previous object when a reload finds an equal value (so memos keyed by it stay warm). */
  same?: (previous: V, next: V) => boolean;
  /** A background refresh failed (the stale value keeps being served). */
  onRefreshError?: (error: unknown) => void;
};

/** A change seen by one instance, for the others: drop `key`, or every key starting with `prefix`. */
export type Invalidation = { cache: string; key?: string; prefix?: string };

type Entry<V> = { value: V; at: number };

export type Cache<V, C = void> = {
  /** The value, synchronously when cached and fresh (or stale with serveStale); else one shared load. */
  read(key: string, context: C): V | Promise<V>;
  /** Reads from the source now (sharing a load in flight) and caches the answer. */
  reload(key: string, context: C): Promise<V>;
  /** The cached value within its TTL, or undefined; never loads. */
  peek(key: string): V | undefined;
  /** Caches a value (one that was just read or written by this instance). */
  set(key: string, value: V): void;
  /** Drops a key here and, through the database, on every other instance. */
  invalidate(key: string): void;
  /** Drops every key starting with prefix, here and on every other instance. */
  invalidatePrefix(prefix: string): void;
  /** Drops keys here only (e.g. an entry that is merely no longer useful to this instance). */
  forgetLocal(match: { key?: string; prefix?: string }): void;
  /** Empties this cache here (tests). */
  clear(): void;
};

type Registered = {
  forgetLocal(match: { key?: string; prefix?: string }): void;
  markStale(): void;
};

type Registry = {
  caches: Map<string, Registered>;
  /** Sends an invalidation to the other instances (set by lib/db-notify.ts on PostgreSQL). */
  publish: ((message: Invalidation) => void) | null;
};

const REGISTRY = Symbol.for('keyhold.cache.registry');
const holder = globalThis as unknown as Record<symbol, Registry | undefined>;
const registry: Registry = (holder[REGISTRY] ??= { caches: new Map(), publish: null });

/** Creates (or, for a module loaded twice, returns the state of) the cache with this name. */
export function createCache<V, C = void>(options: CacheOptions<V, C>): Cache<V, C> {
  const STATE = Symbol.for(`keyhold.cache.${options.name}`);
  const states = globalThis as unknown as Record<symbol, { entries: Map<string, Entry<V>>; loading: Map<string, Promise<V>>; epoch: number } | undefined>;
  const state = (states[STATE] ??= { entries: new Map(), loading: new Map(), epoch: 0 });
  const { entries, loading } = state;

  function load(key: string, context: C): Promise<V> {
    const pending = loading.get(key);
    if (pending) return pending;
    // An invalidation while this read is in flight makes its answer unsafe to keep.
    const epoch = state.epoch;
    const promise = options
      .load(key, context)
      .then((value) => {
        if (state.epoch === epoch) store(key, value);
        return value;
      })
      .finally(() => {
        if (loading.get(key) === promise) loading.delete(key);
      });
    loading.set(key, promise);
    return promise;
  }

  function store(key: string, value: V): void {
    const previous = entries.get(key);
    const kept = previous && options.same?.(previous.value, value) ? previous.value : value;
    if (!previous && options.max && entries.size >= options.max) {
      // Oldest first (insertion order): room without a full sweep per request.
      let drop = Math.ceil(options.max / 10);
      for (const old of entries.keys()) {
        entries.delete(old);
        if (--drop === 0) break;
      }
    }
    entries.set(key, { value: kept, at: Date.now() });
  }

  function forgetLocal({ key, prefix }: { key?: string; prefix?: string }): void {
    state.epoch++;
    if (key !== undefined) {
      entries.delete(key);
      loading.delete(key);
    }
    if (prefix !== undefined) {
      for (const k of entries.keys()) if (k.startsWith(prefix)) entries.delete(k);
      for (const k of loading.keys()) if (k.startsWith(prefix)) loading.delete(k);
    }
  }

  const fresh = (entry: Entry<V>) => Date.now() - entry.at <= options.ttlMs();

  const cache: Cache<V, C> = {
    read(key, context) {
      const entry = entries.get(key);
      if (!entry) return load(key, context);
      if (fresh(entry)) return entry.value;
      if (!options.serveStale) return load(key, context);
      if (!loading.has(key)) load(key, context).catch((error) => options.onRefreshError?.(error));
      return entry.value;
    },
    reload: load,
    peek(key) {
      const entry = entries.get(key);
      return entry && fresh(entry) ? entry.value : undefined;
    },
    set: store,
    invalidate(key) {
      forgetLocal({ key });
      registry.publish?.({ cache: options.name, key });
    },
    invalidatePrefix(prefix) {
      forgetLocal({ prefix });
      registry.publish?.({ cache: options.name, prefix });
    },
    forgetLocal,
    clear() {
      state.epoch++;
      entries.clear();
      loading.clear();
    },
  };
  registry.caches.set(options.name, {
    forgetLocal,
    // Past its TTL at once: the next read refreshes (a serveStale cache still answers meanwhile).
    markStale() {
      state.epoch++;
      for (const entry of entries.values()) entry.at = -Infinity;
    },
  });
  return cache;
}

/** Applies an invalidation another instance published. Unknown caches (another version) are ignored. */
export function applyInvalidation(message: Invalidation): void {
  const target = registry.caches.get(message.cache);
  if (target && (message.key !== undefined || message.prefix !== undefined)) target.forgetLocal(message);
}

/**
 * Every cache may have missed changes (the notification connection dropped):
 * treat every entry as past its TTL. Values stay, so a cache that serves stale
 * answers keeps answering while the database is away.
 */
export function markAllStale(): void {
  for (const cache of registry.caches.values()) cache.markStale();
}

/** Plugs in (or with null removes) the transport to the other instances. */
export function setInvalidationPublisher(publish: ((message: Invalidation) => void) | null): void {
  registry.publish = publish;
}
