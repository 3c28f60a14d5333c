import { KeyRound } from 'lucide-react';
import { Main } from '@/components/skip-link';

export default function AuthLayout({ children }: { children: React.ReactNode }) {
  return (
    <Main className="flex min-h-dvh flex-col items-center justify-center bg-background px-4 py-12">
      <div className="mb-6 flex items-center gap-2 text-lg font-semibold tracking-tight">
        <KeyRound aria-hidden="true" className="size-5 text-accent" /> Keyhold
      </div>
      <div className="w-full max-w-sm rounded-lg border border-border bg-surface p-6 shadow-sm">{children}</div>
    </Main>
  );
}
