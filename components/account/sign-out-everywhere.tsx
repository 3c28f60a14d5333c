'use client';

import { signOut } from 'next-auth/react';
import { Button } from '@/components/ui/button';
import { useSubmit } from '@/components/use-submit';
import { signOutEverywhereAction } from '@/lib/auth/actions';

/** Ends the sessions on every device (server side), then this one. */
export function useSignOutEverywhere() {
  return useSubmit('signOutEverywhere', signOutEverywhereAction, { onSuccess: () => signOut({ callbackUrl: '/login' }) });
}

export function SignOutEverywhereButton() {
  const { submit, pending } = useSignOutEverywhere();
  return (
    <Button loading={pending} onClick={() => void submit()}>
      Sign out everywhere
    </Button>
  );
}
