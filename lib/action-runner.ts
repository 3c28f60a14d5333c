import 'server-only';
import { unstable_rethrow } from 'next/navigation';
import { fail, ok, type ActionResult } from '@/lib/action-result';
import { INTEGRITY_MESSAGE, IntegrityError } from '@/lib/crypto/envelope';
import { AppError } from '@/lib/errors';
import { logUnexpected } from '@/lib/log';

/**
 * Runs a server action's body: expected failures (AppError) become their
 * message and field errors; anything else is logged without its data and
 * answered with the generic `failure` sentence, never `e.message`.
 */
export async function runAction<T>(failure: string, body: () => Promise<T>): Promise<ActionResult<T>> {
  try {
    return ok(await body());
  } catch (error) {
    unstable_rethrow(error);
    if (error instanceof AppError) return fail(error.message, error.fieldErrors);
    logUnexpected(failure, error);
    // Logged like a bug (someone altered stored data), but the user is told what happened.
    return fail(error instanceof IntegrityError ? INTEGRITY_MESSAGE : failure);
  }
}
