'use client';

import { signOut } from 'next-auth/react';
import { toast } from 'sonner';
import { Button } from '@/components/ui/button';
import { signOutEverywhereAction } from '@/lib/auth/actions';

/** Ends the sessions on every device (server side), then this one. */
export async function signOutEverywhereThenHere() {
  const result = await signOutEverywhereAction();
  if (!result.ok) {
    toast.error(result.error);
    return;
  }
  await signOut({ callbackUrl: '/login' });
}

export function SignOutEverywhereButton() {
  return <Button onClick={() => void signOutEverywhereThenHere()}>Sign out everywhere</Button>;
}
