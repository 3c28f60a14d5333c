'use client';

import { signOut } from 'next-auth/react';
import Link from 'next/link';
import { LogOut, MonitorSmartphone, Settings, UserRound } from 'lucide-react';
import { useSignOutEverywhere } from '@/components/account/sign-out-everywhere';
import { Button } from '@/components/ui/button';
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuLabel,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from '@/components/ui/dropdown-menu';

export function AccountMenu({ name, email }: { name: string; email: string }) {
  const signOutEverywhere = useSignOutEverywhere();
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
        <DropdownMenuItem asChild>
          <Link href="/account">
            <Settings aria-hidden="true" /> Account settings
          </Link>
        </DropdownMenuItem>
        <DropdownMenuItem onSelect={() => void signOut({ callbackUrl: '/login' })}>
          <LogOut aria-hidden="true" /> Sign out
        </DropdownMenuItem>
        <DropdownMenuItem onSelect={() => void signOutEverywhere.submit()}>
          <MonitorSmartphone aria-hidden="true" /> Sign out everywhere
        </DropdownMenuItem>
      </DropdownMenuContent>
    </DropdownMenu>
  );
}
