import type { Metadata } from 'next';
import { headers } from 'next/headers';
import { Providers } from '@/components/providers';
import { SkipLink } from '@/components/skip-link';
import { ThemeScript } from '@/components/theme-toggle';
import { NONCE_HEADER } from '@/lib/security-headers';
import './globals.css';

// Every page depends on who is signed in and on live data: never prerender.
export const dynamic = 'force-dynamic';

export const metadata: Metadata = {
  title: 'Keyhold',
  description: 'Self-hosted secrets manager for teams',
  referrer: 'no-referrer',
};

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  // proxy.ts puts this response's script nonce here; the CSP refuses scripts without it.
  const nonce = (await headers()).get(NONCE_HEADER) ?? undefined;
  return (
    <html lang="en" suppressHydrationWarning>
      <head>
        <ThemeScript nonce={nonce} />
      </head>
      <body className="antialiased">
        <SkipLink />
        <Providers>{children}</Providers>
      </body>
    </html>
  );
}
