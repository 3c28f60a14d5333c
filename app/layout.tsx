import type { Metadata } from 'next';
import { Providers } from '@/components/providers';
import { ThemeScript } from '@/components/theme-toggle';
import './globals.css';

// Every page depends on who is signed in and on live data: never prerender.
export const dynamic = 'force-dynamic';

export const metadata: Metadata = {
  title: 'Keyhold',
  description: 'Self-hosted secrets manager for teams',
  referrer: 'no-referrer',
};

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en" suppressHydrationWarning>
      <head>
        <ThemeScript />
      </head>
      <body className="antialiased">
        <Providers>{children}</Providers>
      </body>
    </html>
  );
}
