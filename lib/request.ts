import 'server-only';
import { headers } from 'next/headers';

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
