import * as React from 'react';
import { cn } from '@/components/ui/cn';

export type EmptyStateProps = Omit<React.ComponentProps<'div'>, 'title'> & {
  icon?: React.ReactNode;
  title: React.ReactNode;
  /** Heading level of the title (default h2). */
  titleAs?: 'h2' | 'h3' | 'p';
  description?: React.ReactNode;
  action?: React.ReactNode;
};

export function EmptyState({ icon, title, titleAs: Title = 'h2', description, action, className, children, ...props }: EmptyStateProps) {
  return (
    <div
      className={cn('flex flex-col items-center rounded-lg border border-dashed border-border-strong bg-surface px-6 py-12 text-center', className)}
      {...props}
    >
      {icon ? (
        <div
          aria-hidden="true"
          className="mb-4 flex size-10 items-center justify-center rounded-full border bg-surface-muted text-muted-foreground [&_svg]:size-5"
        >
          {icon}
        </div>
      ) : null}
      <Title className="text-base font-semibold text-foreground">{title}</Title>
      {description ? <div className="mt-1.5 max-w-md text-sm text-pretty text-muted-foreground">{description}</div> : null}
      {children}
      {action ? <div className="mt-5 flex flex-wrap items-center justify-center gap-2">{action}</div> : null}
    </div>
  );
}
