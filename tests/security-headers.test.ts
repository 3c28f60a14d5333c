import { NextRequest } from 'next/server';
import { afterEach, describe, expect, it } from 'vitest';
import { proxy } from '@/proxy';
import { contentSecurityPolicy, NONCE_HEADER } from '@/lib/security-headers';

// proxy.ts: every page gets a fresh nonce and a strict CSP; HSTS only behind https.

const originalUrl = process.env.NEXTAUTH_URL;
afterEach(() => {
  if (originalUrl === undefined) delete process.env.NEXTAUTH_URL;
  else process.env.NEXTAUTH_URL = originalUrl;
});

function directives(csp: string): Map<string, string> {
  return new Map(csp.split('; ').map((d) => [d.split(' ')[0], d.slice(d.indexOf(' ') + 1)]));
}

describe('Content-Security-Policy', () => {
  it('has the strict directives the issue names', () => {
    const d = directives(contentSecurityPolicy('abc'));
    expect(d.get('default-src')).toBe("'self'");
    expect(d.get('script-src')).toBe("'self' 'nonce-abc' 'strict-dynamic'");
    expect(d.get('object-src')).toBe("'none'");
    expect(d.get('base-uri')).toBe("'none'");
    expect(d.get('form-action')).toBe("'self'");
    expect(d.get('frame-ancestors')).toBe("'none'");
    expect(contentSecurityPolicy('abc')).not.toMatch(/unsafe-eval|script-src[^;]*unsafe-inline/);
  });

  it('sets a fresh nonce per request on the response and, for the page, on the request', () => {
    const nonces = new Set<string>();
    for (let i = 0; i < 5; i++) {
      const response = proxy(new NextRequest('http://localhost:3000/login'));
      const csp = response.headers.get('content-security-policy') ?? '';
      const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
      expect(nonce).toMatch(/^[A-Za-z0-9+/]{22}==$/);
      // NextResponse.next({ request: { headers } }) forwards overridden request headers like this:
      expect(response.headers.get(`x-middleware-request-${NONCE_HEADER}`)).toBe(nonce);
      expect(response.headers.get('x-middleware-request-content-security-policy')).toBe(csp);
      nonces.add(nonce!);
    }
    expect(nonces.size).toBe(5);
  });

  it('covers the redirect to /login of a visitor without a session', () => {
    const response = proxy(new NextRequest('http://localhost:3000/projects/acme?env=production'));
    expect(response.status).toBe(307);
    expect(new URL(response.headers.get('location')!).pathname).toBe('/login');
    expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
  });
});

describe('Strict-Transport-Security', () => {
  it('is sent when NEXTAUTH_URL is https', () => {
    process.env.NEXTAUTH_URL = 'https://keyhold.example.com';
    const response = proxy(new NextRequest('http://localhost:3000/login'));
    expect(response.headers.get('strict-transport-security')).toBe('max-age=63072000; includeSubDomains');
    expect(response.headers.get('content-security-policy')).toContain('upgrade-insecure-requests');
  });

  it('is not sent over plain http', () => {
    process.env.NEXTAUTH_URL = 'http://127.0.0.1:3000';
    const response = proxy(new NextRequest('http://localhost:3000/login'));
    expect(response.headers.get('strict-transport-security')).toBeNull();
    expect(response.headers.get('content-security-policy')).not.toContain('upgrade-insecure-requests');
  });
});
