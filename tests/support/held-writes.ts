import { db, provider } from '@/lib/db';

// Sessions of this test file's database (other files run beside it on the same cluster) waiting for a lock.
const waitingForLocks = async () =>
  Number(
    (
      await db.$queryRaw<{ n: number | bigint }[]>`
        SELECT count(*) AS "n" FROM pg_stat_activity WHERE "datname" = current_database() AND "wait_event_type" = 'Lock'`
    )[0].n,
  );

/** Resolves once `waiters` transactions wait for a lock (PostgreSQL); gives up well within vitest's 30 s test timeout. */
async function untilWaiting(waiters: number): Promise<void> {
  const deadline = Date.now() + 15_000;
  while ((await waitingForLocks()) < waiters) {
    if (Date.now() > deadline) throw new Error(`withWritesHeld: ${waiters} transactions never waited for a lock`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * For races on PostgreSQL: holds writes to `table` back (reads pass) while
 * `start()` begins its concurrent transactions, until `waiters` of them wait
 * for a lock; then lets them all go. So every transaction has done its reads
 * before any writes: what a busy server does now and then, here every time.
 * `start` may line its calls up further with `untilWaiting(n)` (start one,
 * wait until it holds what it writes first, then start the next).
 * On SQLite, which runs one writer at a time, it only runs `start()`.
 */
export async function withWritesHeld<T>(table: string, waiters: number, start: (untilWaiting: (n: number) => Promise<void>) => Promise<T>): Promise<T> {
  if (provider !== 'postgresql') return start(async () => {});
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let locked!: () => void;
  const isLocked = new Promise<void>((resolve) => (locked = resolve));
  const holder = db.$transaction(
    async (tx) => {
      await tx.$executeRawUnsafe(`LOCK TABLE "${table}" IN EXCLUSIVE MODE`);
      locked();
      await released;
    },
    // Rolled back (the table let go) by Prisma if this helper itself never gets to release it.
    { maxWait: 10_000, timeout: 20_000 },
  );
  await Promise.race([isLocked, holder]);
  const work = start(untilWaiting);
  const settled = work.then(
    () => undefined,
    () => undefined,
  );
  try {
    // A call that ends without ever waiting (it failed early) ends the wait too: the test then sees its result.
    await Promise.race([untilWaiting(waiters), settled]);
  } finally {
    release();
    await holder;
  }
  return work;
}
