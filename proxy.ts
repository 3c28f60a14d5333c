import { NextResponse, type NextRequest } from 'next/server';
import { contentSecurityPolicy, createNonce, HSTS, isHttpsUrl, NONCE_HEADER } from '@/lib/security-headers';

// Every page: a fresh script nonce and the Content-Security-Policy that
// requires it (Next reads the nonce from the request's CSP header and puts it
// on its own scripts; the root layout reads NONCE_HEADER for the theme script),
// and HSTS when the public URL is https.
// A convenience besides: with no session cookie at all, /projects… go to
// /login before rendering anything. Authorization happens in the data layer, never here.
const SESSION_COOKIES = ['next-auth.session-token', '__Secure-next-auth.session-token'];

function needsLogin(request: NextRequest): boolean {
  const { pathname } = request.nextUrl;
  const protectedPath = pathname === '/projects' || pathname.startsWith('/projects/') || pathname === '/account';
  return protectedPath && !SESSION_COOKIES.some((name) => request.cookies.has(name));
}

export function proxy(request: NextRequest) {
  const https = isHttpsUrl(process.env.NEXTAUTH_URL);
  let response: NextResponse;
  const nonce = createNonce();
  const csp = contentSecurityPolicy(nonce, { dev: process.env.NODE_ENV !== 'production', https });
  if (needsLogin(request)) {
    const login = new URL('/login', request.url);
    login.searchParams.set('callbackUrl', request.nextUrl.pathname + request.nextUrl.search);
    response = NextResponse.redirect(login);
  } else {
    const headers = new Headers(request.headers);
    headers.set(NONCE_HEADER, nonce);
    headers.set('content-security-policy', csp);
    response = NextResponse.next({ request: { headers } });
  }
  response.headers.set('content-security-policy', csp);
  if (https) response.headers.set('strict-transport-security', HSTS);
  return response;
}

// Pages, not Next's static files, the icon, or route handlers (/api/v1 never reaches Next);
// and next-auth's routes, whose built-in HTML pages (the sign-out confirmation) get the same CSP.
export const config = {
  matcher: [{ source: '/((?!_next/static|_next/image|icon.svg|favicon.ico|api/).*)' }, { source: '/api/auth/:path*' }],
};
