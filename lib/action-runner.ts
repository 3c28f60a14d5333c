import 'server-only';
import { unstable_rethrow } from 'next/navigation';
import { fail, ok, type ActionResult } from '@/lib/action-result';
import { INTEGRITY_MESSAGE, IntegrityError } from '@/lib/crypto/envelope';
import { AppError } from '@/lib/errors';
import { isDatabaseUnavailable } from '@/lib/db';
import { logUnexpected } from '@/lib/log';

const DATABASE_UNAVAILABLE = 'Keyhold cannot reach its database right now. Nothing was saved; try again in a moment.';

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
    // A change and its audit event are one transaction: an outage leaves nothing half-written.
    if (isDatabaseUnavailable(error)) return fail(DATABASE_UNAVAILABLE);
    logUnexpected(failure, error);
    // Logged like a bug (someone altered stored data), but the user is told what happened.
    return fail(error instanceof IntegrityError ? INTEGRITY_MESSAGE : failure);
  }
}
