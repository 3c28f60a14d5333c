import { NextResponse, type NextRequest } from 'next/server';

// A convenience only: with no session cookie at all, go to /login before
// rendering anything. Authorization happens in the data layer, never here.
const SESSION_COOKIES = ['next-auth.session-token', '__Secure-next-auth.session-token'];

export function proxy(request: NextRequest) {
  if (SESSION_COOKIES.some((name) => request.cookies.has(name))) return NextResponse.next();
  const login = new URL('/login', request.url);
  login.searchParams.set('callbackUrl', request.nextUrl.pathname + request.nextUrl.search);
  return NextResponse.redirect(login);
}

export const config = { matcher: ['/projects', '/projects/:path*'] };
