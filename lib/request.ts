import 'server-only';
import { headers } from 'next/headers';
import { env } from '@/lib/env';

// server.ts stamps every request with the socket's address in this header,
// overwriting whatever a client sent, so it can be trusted.
export const CLIENT_IP_HEADER = 'x-keyhold-client-ip';

function clientIpFrom(get: (name: string) => string | null | undefined): string | null {
  return get(CLIENT_IP_HEADER) ?? null;
}

export async function clientIp(): Promise<string | null> {
  const h = await headers();
  return clientIpFrom((name) => h.get(name));
}

/**
 * This app's public origin as shown to people (the token panel's command):
 * NEXTAUTH_URL when set, else the scheme and host this request came in on.
 */
export async function appOrigin(): Promise<string> {
  const configured = env().NEXTAUTH_URL;
  if (configured) return new URL(configured).origin;
  const h = await headers();
  const proto = h.get('x-forwarded-proto')?.split(',')[0].trim() === 'https' ? 'https' : 'http';
  return `${proto}://${h.get('host') || 'localhost:3000'}`;
}
