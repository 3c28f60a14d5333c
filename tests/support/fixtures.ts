import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import { db } from '@/lib/db';
import { AppError } from '@/lib/errors';

// Shared setup for integration tests: users made straight in the database
// (sign-in is tested on its own) and the expected-failure assertion.

export type User = { id: string; name: string; email: string };

export async function makeUser(name: string): Promise<User> {
  return db.user.create({
    data: { name, email: `${name.toLowerCase()}-${randomUUID()}@example.test`, passwordHash: 'scrypt$unused' },
    select: { id: true, name: true, email: true },
  });
}

/** Awaits a data-layer call that must fail with this AppError code (and message). */
export async function expectAppError(promise: Promise<unknown>, code: string, message?: string): Promise<AppError> {
  const error = await promise.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(AppError);
  expect((error as AppError).code).toBe(code);
  if (message) expect((error as AppError).message).toBe(message);
  return error as AppError;
}
