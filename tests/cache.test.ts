import { afterEach, describe, expect, it } from 'vitest';
import { applyInvalidation, createCache, markAllStale, setInvalidationPublisher, type Invalidation } from '@/lib/cache';

// lib/cache.ts: the one cache helper. Loads are real promises resolved by the
// test, so every ordering is explicit (no timers, no sleeps).

type Deferred<T> = { promise: Promise<T>; resolve: (value: T) => void };
function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

let names = 0;
function cacheOf(options: { ttlMs?: number; serveStale?: boolean; max?: number } = {}) {
  const loads: { key: string; answer: Deferred<string> }[] = [];
  const cache = createCache<string>({
    name: `test-${++names}`,
    ttlMs: () => options.ttlMs ?? 60_000,
    serveStale: options.serveStale,
    max: options.max,
    load: (key) => {
      const answer = deferred<string>();
      loads.push({ key, answer });
      return answer.promise;
    },
  });
  return { cache, loads, name: `test-${names}` };
}

afterEach(() => setInvalidationPublisher(null));

describe('createCache', () => {
  it('loads once for concurrent readers, then answers synchronously within the TTL', async () => {
    const { cache, loads } = cacheOf();
    const a = cache.read('k');
    const b = cache.read('k');
    expect(loads).toHaveLength(1);
    loads[0].answer.resolve('v1');
    expect(await a).toBe('v1');
    expect(await b).toBe('v1');
    expect(cache.read('k')).toBe('v1');
    expect(loads).toHaveLength(1);
  });

  it('does not keep an answer loaded across an invalidation', async () => {
    const { cache, loads } = cacheOf();
    const pending = cache.read('k');
    cache.invalidate('k');
    loads[0].answer.resolve('old');
    expect(await pending).toBe('old');
    expect(cache.peek('k')).toBeUndefined();
    const again = cache.read('k');
    expect(loads).toHaveLength(2);
    loads[1].answer.resolve('new');
    expect(await again).toBe('new');
  });

  it('drops keys by prefix, and publishes invalidations for the other instances', async () => {
    const published: Invalidation[] = [];
    setInvalidationPublisher((m) => published.push(m));
    const { cache, loads, name } = cacheOf();
    for (const key of ['env1:a', 'env1:b', 'env2:a']) {
      const read = cache.read(key);
      loads.at(-1)!.answer.resolve(key);
      await read;
    }
    cache.invalidatePrefix('env1:');
    expect([cache.peek('env1:a'), cache.peek('env1:b'), cache.peek('env2:a')]).toEqual([undefined, undefined, 'env2:a']);
    cache.invalidate('env2:a');
    expect(published).toEqual([
      { cache: name, prefix: 'env1:' },
      { cache: name, key: 'env2:a' },
    ]);
  });

  it('applies an invalidation from another instance by cache name and key', async () => {
    const { cache, loads, name } = cacheOf();
    const read = cache.read('k');
    loads[0].answer.resolve('v');
    await read;
    applyInvalidation({ cache: 'some-other-cache', key: 'k' });
    expect(cache.peek('k')).toBe('v');
    applyInvalidation({ cache: name, key: 'k' });
    expect(cache.peek('k')).toBeUndefined();
  });

  it('serves a stale value while one background read refreshes it (after markAllStale too)', async () => {
    const { cache, loads } = cacheOf({ serveStale: true });
    const read = cache.read('k');
    loads[0].answer.resolve('v1');
    await read;
    markAllStale();
    expect(cache.peek('k')).toBeUndefined();
    expect(cache.read('k')).toBe('v1');
    expect(cache.read('k')).toBe('v1');
    expect(loads).toHaveLength(2);
    loads[1].answer.resolve('v2');
    await loads[1].answer.promise;
    await Promise.resolve();
    expect(cache.read('k')).toBe('v2');
  });

  it('waits for a fresh value past the TTL without serveStale', async () => {
    const { cache, loads } = cacheOf({ ttlMs: -1 });
    const first = cache.read('k');
    loads[0].answer.resolve('v1');
    await first;
    const second = cache.read('k');
    expect(second).toBeInstanceOf(Promise);
    loads[1].answer.resolve('v2');
    expect(await second).toBe('v2');
  });

  it('keeps at most max entries, dropping the oldest', async () => {
    const { cache, loads } = cacheOf({ max: 10 });
    for (let i = 0; i < 11; i++) {
      const read = cache.read(`k${i}`);
      loads.at(-1)!.answer.resolve(`v${i}`);
      await read;
    }
    expect(cache.peek('k0')).toBeUndefined();
    expect(cache.peek('k1')).toBe('v1');
    expect(cache.peek('k10')).toBe('v10');
  });
});
