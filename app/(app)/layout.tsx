import Link from 'next/link';
import { redirect } from 'next/navigation';
import { KeyRound } from 'lucide-react';
import { AccountMenu } from '@/components/account-menu';
import { Main } from '@/components/skip-link';
import { ThemeToggle } from '@/components/theme-toggle';
import { needsSetup } from '@/lib/auth/setup';
import { getSessionUser } from '@/lib/session';

export default async function AppLayout({ children }: { children: React.ReactNode }) {
  const user = await getSessionUser();
  if (!user) redirect((await needsSetup()) ? '/setup' : '/login');
  return (
    <div className="min-h-dvh bg-background">
      <header className="sticky top-0 z-30 border-b border-border bg-surface/90 backdrop-blur">
        <div className="mx-auto flex h-14 max-w-6xl items-center gap-4 px-4">
          <Link href="/projects" className="flex items-center gap-2 font-semibold tracking-tight focus-ring rounded-md">
            <KeyRound aria-hidden="true" className="size-5 text-accent" /> Keyhold
          </Link>
          <nav aria-label="Main" className="text-sm">
            <Link href="/projects" className="rounded-md px-2 py-1 text-muted-foreground hover:text-foreground focus-ring">
              Projects
            </Link>
          </nav>
          <div className="ml-auto flex items-center gap-2">
            <ThemeToggle />
            <AccountMenu name={user.name} email={user.email} />
          </div>
        </div>
      </header>
      <Main>{children}</Main>
    </div>
  );
}
