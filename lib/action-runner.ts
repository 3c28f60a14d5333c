import 'server-only';
import { unstable_rethrow } from 'next/navigation';
import type { z } from 'zod';
import { fail, ok, type ActionResult } from '@/lib/action-result';
import { AppError, invalid } from '@/lib/errors';

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
    return fail(failure);
  }
}

/** Logs an unexpected error by name, code and stack frames only: messages can quote input. */
export function logUnexpected(context: string, error: unknown): void {
  const e = error instanceof Error ? error : new Error(String(typeof error));
  const code = (e as { code?: unknown }).code;
  const frames = (e.stack ?? '').split('\n').filter((line) => line.trimStart().startsWith('at ')).slice(0, 5);
  console.error(`[keyhold] ${context} (${e.name}${typeof code === 'string' ? ` ${code}` : ''})\n${frames.join('\n')}`);
}

/** Parses input with the shared zod schema; a failure names the first problem of each field. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const fieldErrors: Record<string, string> = {};
  for (const issue of parsed.error.issues) {
    const field = issue.path.length ? String(issue.path[0]) : 'form';
    fieldErrors[field] ??= issue.message;
  }
  return (() => {
    throw invalid(Object.values(fieldErrors)[0] ?? 'Check the highlighted fields', fieldErrors);
  })();
}
