import * as React from 'react';
import { cn } from '@/components/ui/cn';

/**
 * Table primitives. <TableContainer> is the bordered card; on narrow screens
 * it scrolls horizontally (the table keeps a min width) instead of squashing.
 * The container is focusable so keyboard users can scroll it; give it an aria-label.
 * A `pinned` last column (row actions) stays in view while the rest scrolls.
 */
export function TableContainer({ className, ...props }: React.ComponentProps<'div'>) {
  return <div tabIndex={0} role="region" className={cn('focus-ring relative w-full overflow-x-auto rounded-lg border bg-surface', className)} {...props} />;
}

export function Table({ className, ...props }: React.ComponentProps<'table'>) {
  return <table className={cn('w-full caption-bottom border-collapse text-left text-sm', className)} {...props} />;
}

export function TableHeader({ className, ...props }: React.ComponentProps<'thead'>) {
  return <thead className={cn('bg-surface-muted', className)} {...props} />;
}

export function TableBody({ className, ...props }: React.ComponentProps<'tbody'>) {
  return <tbody className={cn('[&>tr:last-child]:border-b-0', className)} {...props} />;
}

export function TableRow({ className, ...props }: React.ComponentProps<'tr'>) {
  return <tr className={cn('group border-b transition-colors hover:bg-surface-muted', className)} {...props} />;
}

type Pinnable = { pinned?: boolean };

// Opaque, so the columns scrolling under it do not show through; a hairline marks its edge.
const PINNED = 'sticky right-0 z-10 shadow-[inset_1px_0_0_var(--color-border)] md:shadow-none';

export function TableHead({ className, scope = 'col', pinned, ...props }: React.ComponentProps<'th'> & Pinnable) {
  return (
    <th
      scope={scope}
      className={cn(
        'h-9 border-b px-4 text-xs font-medium whitespace-nowrap text-muted-foreground first:pl-4 last:pr-3',
        pinned && `${PINNED} bg-surface-muted`,
        className,
      )}
      {...props}
    />
  );
}

export function TableCell({ className, pinned, ...props }: React.ComponentProps<'td'> & Pinnable) {
  return (
    <td className={cn('px-4 py-2.5 align-middle first:pl-4 last:pr-3', pinned && `${PINNED} bg-surface group-hover:bg-surface-muted`, className)} {...props} />
  );
}
