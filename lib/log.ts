// No `server-only` marker: the lean /api/v1 handler (server.ts) logs through
// this too (see lib/db.ts).

/** Logs an unexpected error by name, code and stack frames only: messages can quote input. */
export function logUnexpected(context: string, error: unknown): void {
  const e = error instanceof Error ? error : new Error(String(typeof error));
  const code = (e as { code?: unknown }).code;
  const frames = (e.stack ?? '')
    .split('\n')
    .filter((line) => line.trimStart().startsWith('at '))
    .slice(0, 5);
  console.error(`[keyhold] ${context} (${e.name}${typeof code === 'string' ? ` ${code}` : ''})\n${frames.join('\n')}`);
}
