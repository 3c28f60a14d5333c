import type { IncomingHttpHeaders } from 'node:http';

// Server actions are public POST endpoints (TRUST-NOTES.md). Next refuses one
// from a foreign Origin with a 500 and lets one with no Origin through; server.ts
// refuses both before Next with one clean 403, deciding the way Next does: the
// Origin's host must be the host the request was sent to (X-Forwarded-Host when a
// proxy sets it, else Host).

export const ACTION_ORIGIN_REFUSAL = {
  status: 403,
  body: { error: { code: 'origin_required', message: 'Server actions require an Origin header from this site' } },
} as const;

const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value)?.split(',')[0]?.trim();

export const isServerActionPost = (method: string | undefined, headers: IncomingHttpHeaders) =>
  method === 'POST' && headers['next-action'] !== undefined;

/** True when the request's Origin names the host it was sent to; false for a missing, `null` or foreign Origin. */
export function hasSameOrigin(headers: IncomingHttpHeaders): boolean {
  const origin = first(headers.origin);
  const host = first(headers['x-forwarded-host']) || first(headers.host);
  if (!origin || !host) return false;
  try {
    return new URL(origin).host.toLowerCase() === host.toLowerCase();
  } catch {
    return false;
  }
}
