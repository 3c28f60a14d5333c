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

/**
 * An /api/ route (route handlers, next-auth): Next never runs a server action
 * there. Only a plain path counts: one with a dot segment, an encoded dot or a
 * backslash could be normalized by the router onto a page, so it stays checked.
 */
const isApiPath = (url: string | undefined) => {
  const path = (url ?? '/').split('?')[0];
  return path.startsWith('/api/') && !/\/\.|%2e|\\|%5c|%2f/i.test(path);
};

/**
 * True for every POST Next would treat as a possible server action
 * (next/dist/server/lib/server-action-request-meta.js): one carrying Next-Action,
 * or any multipart/form-data or application/x-www-form-urlencoded body (a form
 * posted without JavaScript). Content types are compared loosely (case, parameters),
 * so a refusal here is never narrower than Next's rule. /api/ routes are left out.
 */
export const isServerActionPost = (method: string | undefined, headers: IncomingHttpHeaders, url?: string) => {
  if (method !== 'POST') return false;
  if (headers['next-action'] !== undefined) return true;
  const contentType = (headers['content-type'] ?? '').trim().toLowerCase();
  const isForm = contentType.startsWith('multipart/form-data') || contentType.startsWith('application/x-www-form-urlencoded');
  return isForm && !isApiPath(url);
};

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
