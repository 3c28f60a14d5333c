// Where to go after sign-in, from a target the client chose (`callbackUrl`):
// only a path on this origin. A browser reads `/\evil.example` as
// `//evil.example`, and strips tabs and newlines from URLs, so "starts with /
// but not //" is not enough (TRUST-NOTES.md). Pure: the login page, the login
// form and next-auth's redirect callback all use it.

export const DEFAULT_CALLBACK_PATH = '/projects';

/** Stands in for this origin when the caller does not know it: only relative paths resolve to it. */
const PLACEHOLDER_ORIGIN = 'http://keyhold.invalid';

/** Backslashes and control characters (C0, DEL, C1): browsers ignore or reinterpret them in URLs. */
const UNSAFE_CHARACTERS = /[\\\u0000-\u001f\u007f-\u009f]/;

/** The value percent-decoded until it no longer changes (or until what is left is not valid percent-encoding). */
function fullyDecoded(value: string): string | null {
  let current = value;
  for (let round = 0; round < 5; round++) {
    let next: string;
    try {
      next = decodeURIComponent(current);
    } catch {
      return current;
    }
    if (next === current) return current;
    current = next;
  }
  // Encoded five times over: nobody types that by accident.
  return null;
}

function sameOriginUrl(value: string, origin: string): URL | null {
  try {
    const url = new URL(value, origin);
    return url.origin === origin ? url : null;
  } catch {
    return null;
  }
}

/**
 * The same-origin path (with query and fragment) that `value` points to, or
 * `fallback` when it points anywhere else or could be read differently by a
 * browser: another origin, a scheme (`javascript:`), a protocol-relative
 * `//host`, a backslash or a control character, raw or percent-encoded.
 * `origin` is this site's origin; absolute URLs on it are accepted too.
 */
export function safeCallbackPath(value: unknown, origin: string = PLACEHOLDER_ORIGIN, fallback = DEFAULT_CALLBACK_PATH): string {
  if (typeof value !== 'string' || value === '') return fallback;
  let base: string;
  try {
    base = new URL(origin).origin;
  } catch {
    return fallback;
  }
  const decoded = fullyDecoded(value);
  if (decoded === null || UNSAFE_CHARACTERS.test(value) || UNSAFE_CHARACTERS.test(decoded)) return fallback;
  const url = sameOriginUrl(value, base);
  // The decoded form must stay on this origin too: `/%2F%2Fevil` must not become `//evil` in a later hop.
  if (!url || !sameOriginUrl(decoded, base)) return fallback;
  const path = `${url.pathname}${url.search}${url.hash}`;
  return path.startsWith('//') ? fallback : path;
}
