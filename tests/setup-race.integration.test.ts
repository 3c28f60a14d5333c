import { beforeAll, expect, it } from 'vitest';
import { createFirstAccount, needsSetup, SETUP_CLOSED } from '@/lib/auth/setup';
import { db } from '@/lib/db';
import { AppError } from '@/lib/errors';
import { migrateTestDatabase } from './support/db';
import { withWritesHeld } from './support/held-writes';

// Its own file: it needs a database without any user.
beforeAll(async () => {
  await migrateTestDatabase();
});

it('creates exactly one first account when several setups are submitted at the same moment', async () => {
  expect(await needsSetup()).toBe(true);
  const attempts = await withWritesHeld('User', 6, () =>
    Promise.allSettled(
      ['ana', 'bo', 'cy', 'di', 'ed', 'fay'].map((name) =>
        createFirstAccount({ name, email: `${name}@example.test`, password: 'correct horse battery staple' }),
      ),
    ),
  );
  expect(attempts.filter((a) => a.status === 'fulfilled')).toHaveLength(1);
  for (const attempt of attempts.filter((a) => a.status === 'rejected')) {
    expect(attempt.reason).toBeInstanceOf(AppError);
    expect((attempt.reason as AppError).message).toBe(SETUP_CLOSED);
  }
  expect(await db.user.count()).toBe(1);
});
