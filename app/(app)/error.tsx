'use client';

import Link from 'next/link';
import { Button, buttonVariants } from '@/components/ui/button';

// Unexpected failures while rendering a page. Production hides the error's
// message from the browser (it may quote data); the server log has the details.
export default function AppError({ reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <div className="mx-auto flex max-w-md flex-col items-center gap-3 px-4 py-20 text-center">
      <h1 className="text-lg font-semibold">This page could not be loaded</h1>
      <p className="text-sm text-muted-foreground">Nothing you saved was lost. Try again; if your session has ended, sign in again.</p>
      <div className="mt-2 flex gap-2">
        <Button onClick={reset}>Try again</Button>
        <Link href="/login" className={buttonVariants({ variant: 'primary' })}>
          Sign in
        </Link>
      </div>
    </div>
  );
}
