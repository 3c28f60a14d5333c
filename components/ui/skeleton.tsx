import * as React from 'react';
import { cn } from '@/components/ui/cn';

/** A placeholder block. Decorative: announce loading elsewhere (aria-busy, sr-only text). */
export function Skeleton({ className, ...props }: React.ComponentProps<'div'>) {
  return <div aria-hidden="true" className={cn('animate-pulse rounded-md bg-border motion-reduce:animate-none', className)} {...props} />;
}
