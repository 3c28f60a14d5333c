import * as React from 'react';
import { cn } from '@/components/ui/cn';

export type BadgeVariant = 'neutral' | 'accent' | 'warning' | 'danger' | 'success';

const variants: Record<BadgeVariant, string> = {
  neutral: 'border-border bg-surface-muted text-muted-foreground',
  accent: 'border-transparent bg-accent-muted text-accent-muted-foreground',
  warning: 'border-warning-border bg-warning-muted text-warning-muted-foreground',
  danger: 'border-danger-border bg-danger-muted text-danger-muted-foreground',
  success: 'border-success-border bg-success-muted text-success-muted-foreground',
};

export function Badge({ className, variant = 'neutral', ...props }: React.ComponentProps<'span'> & { variant?: BadgeVariant }) {
  return (
    <span
      className={cn(
        'inline-flex h-5 shrink-0 items-center gap-1 rounded-full border px-2 text-xs leading-none font-medium whitespace-nowrap [&_svg]:size-3',
        variants[variant],
        className,
      )}
      {...props}
    />
  );
}
