import Link from 'next/link';
import { Main } from '@/components/skip-link';

export default function NotFound() {
  return (
    <Main className="flex min-h-dvh flex-col items-center justify-center gap-2 px-4 text-center">
      <h1 className="text-lg font-semibold">Not found</h1>
      <p className="text-sm text-muted-foreground">This page does not exist, or you do not have access to it.</p>
      <Link href="/projects" className="mt-2 text-sm font-medium text-accent hover:underline">
        Back to projects
      </Link>
    </Main>
  );
}
