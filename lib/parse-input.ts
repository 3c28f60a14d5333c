// No `server-only` marker: the lean /api/v1 handler (server.ts) validates with
// the same schemas and the same rule (see lib/db.ts).
import type { z } from 'zod';
import { invalid } from '@/lib/errors';

/** The first problem of each field ('form' for the object itself), or null when the input is valid. */
export function fieldErrorsOf(issues: readonly z.core.$ZodIssue[]): Record<string, string> {
  const fieldErrors: Record<string, string> = {};
  for (const issue of issues) {
    const field = issue.path.length ? String(issue.path[0]) : 'form';
    fieldErrors[field] ??= issue.message;
  }
  return fieldErrors;
}

/** Parses input with the shared zod schema; a failure names the first problem of each field. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const fieldErrors = fieldErrorsOf(parsed.error.issues);
  throw invalid(Object.values(fieldErrors)[0] ?? 'Check the highlighted fields', fieldErrors);
}
