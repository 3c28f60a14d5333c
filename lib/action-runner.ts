import 'server-only';
import { unstable_rethrow } from 'next/navigation';
import type { z } from 'zod';
import { ACTION_FAILURES, fail, ok, type ActionName, type ActionResult } from '@/lib/action-result';
import { INTEGRITY_MESSAGE, IntegrityError } from '@/lib/crypto/envelope';
import { AppError } from '@/lib/errors';
import { isDatabaseUnavailable } from '@/lib/db';
import { logUnexpected } from '@/lib/log';
import { parseInput } from '@/lib/parse-input';
import type { Verb } from '@/lib/permissions';
import { requirePermission, requireUser } from '@/lib/session';

const DATABASE_UNAVAILABLE = 'Keyhold cannot reach its database right now. Nothing was saved; try again in a moment.';

/**
 * Who may call an action: anyone (a link's token or the first-run rule is the
 * check, in the data layer), any signed-in user, or a member allowed `verb`.
 */
type Access = 'public' | 'signed-in' | { projectId: string; verb: Verb };

type Spec = { name: ActionName; access: Access };

/**
 * The one way a server action runs: parse the input with its schema, check the
 * session and the permission, call the data layer (which checks again), and
 * answer one ActionResult. Expected failures (AppError) keep their message,
 * code and field errors; anything else is logged without its data and
 * answered with the action's generic sentence, never `e.message`. No
 * revalidation: the submit hook (components/use-submit.ts) refreshes the page.
 */
export function runAction<S extends z.ZodType, T>(
  spec: Spec & { schema: S; input: unknown },
  body: (input: z.output<S>) => Promise<T>,
): Promise<ActionResult<T>>;
export function runAction<T>(spec: Spec, body: () => Promise<T>): Promise<ActionResult<T>>;
export async function runAction(
  spec: Spec & { schema?: z.ZodType; input?: unknown },
  body: (input?: unknown) => Promise<unknown>,
): Promise<ActionResult<unknown>> {
  try {
    const input = spec.schema ? parseInput(spec.schema, spec.input) : undefined;
    if (spec.access === 'signed-in') await requireUser();
    else if (spec.access !== 'public') await requirePermission(spec.access.projectId, spec.access.verb);
    return ok(await body(input));
  } catch (error) {
    unstable_rethrow(error);
    if (error instanceof AppError) return fail(error.message, error.code, error.fieldErrors);
    // A change and its audit event are one transaction: an outage leaves nothing half-written.
    if (isDatabaseUnavailable(error)) return fail(DATABASE_UNAVAILABLE, 'unavailable');
    const failure = ACTION_FAILURES[spec.name];
    logUnexpected(failure, error);
    // Logged like a bug (someone altered stored data), but the user is told what happened.
    return fail(error instanceof IntegrityError ? INTEGRITY_MESSAGE : failure, 'failed');
  }
}
