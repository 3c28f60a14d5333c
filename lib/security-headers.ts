// The security headers of every HTML page, set per request by proxy.ts.
// Plain module (no server-only, no Next imports): proxy.ts and the tests use it.

/** The request header that carries the page's script nonce to the root layout. */
export const NONCE_HEADER = 'x-nonce';

/** A fresh, unguessable nonce for one response (128 random bits, base64). */
export function createNonce(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString('base64');
}

/**
 * Scripts run only with this response's nonce ('strict-dynamic' lets Next's
 * nonced loader add its own chunks); nothing may frame the app, post forms
 * elsewhere, or change the base URL. Styles allow inline attributes: Radix
 * positions menus and dialogs with `style="…"`, which cannot carry a nonce.
 * Development adds 'unsafe-eval' for React's dev tooling only.
 */
export function contentSecurityPolicy(nonce: string, { dev = false, https = false } = {}): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ''}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    ...(https ? ['upgrade-insecure-requests'] : []),
  ].join('; ');
}

/** Two years, subdomains included: only sent when the app's public URL is https. */
export const HSTS = 'max-age=63072000; includeSubDomains';

export function isHttpsUrl(url: string | undefined): boolean {
  return !!url && /^https:\/\//i.test(url);
}
