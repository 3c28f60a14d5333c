'use client';

import { signOut } from 'next-auth/react';
import { LogOut, MonitorSmartphone, UserRound } from 'lucide-react';
import { toast } from 'sonner';
import { Button } from '@/components/ui/button';
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuLabel,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from '@/components/ui/dropdown-menu';
import { signOutEverywhereAction } from '@/lib/auth/actions';

/** Ends the sessions on every device (server side), then this one. */
async function signOutEverywhereThenHere() {
  const result = await signOutEverywhereAction();
  if (!result.ok) {
    toast.error(result.error);
    return;
  }
  await signOut({ callbackUrl: '/login' });
}

export function AccountMenu({ name, email }: { name: string; email: string }) {
  return (
    <DropdownMenu>
      <DropdownMenuTrigger asChild>
        <Button variant="ghost" size="icon" aria-label="Account">
          <UserRound aria-hidden="true" />
        </Button>
      </DropdownMenuTrigger>
      <DropdownMenuContent align="end">
        <DropdownMenuLabel>
          <div className="font-medium text-foreground">{name}</div>
          <div className="text-xs font-normal text-muted-foreground">{email}</div>
        </DropdownMenuLabel>
        <DropdownMenuSeparator />
        <DropdownMenuItem onSelect={() => void signOut({ callbackUrl: '/login' })}>
          <LogOut aria-hidden="true" /> Sign out
        </DropdownMenuItem>
        <DropdownMenuItem onSelect={() => void signOutEverywhereThenHere()}>
          <MonitorSmartphone aria-hidden="true" /> Sign out everywhere
        </DropdownMenuItem>
      </DropdownMenuContent>
    </DropdownMenu>
  );
}
