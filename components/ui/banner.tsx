import * as React from 'react';
import { CircleCheck, CircleExclamationPoint, Info, TriangleExclamationPoint } from 'lucide-react';
import { cn } from '@/components/ui/cn';

type BannerVariant = 'info' | 'warning' | 'danger' | 'success';

const variants: Record<BannerVariant, { className: string; Icon: React.ComponentType<{ className?: string; 'aria-hidden'?: boolean | 'true' }> }> = {
  info: { className: 'border-border bg-surface-muted text-foreground [&_[data-icon]]:text-accent', Icon: Info },
  warning: {
    className: 'border-warning-border bg-warning-muted text-warning-muted-foreground',
    Icon: TriangleExclamationPoint,
  },
  danger: { className: 'border-danger-border bg-danger-muted text-danger-muted-foreground', Icon: CircleExclamationPoint },
  success: { className: 'border-success-border bg-success-muted text-success-muted-foreground', Icon: CircleCheck },
};

export type BannerProps = Omit<React.ComponentProps<'div'>, 'title'> & {
  variant?: BannerVariant;
  title?: React.ReactNode;
  /** Buttons or links at the end (wrap under the text on phones). */
  action?: React.ReactNode;
  /** Hide the leading icon. */
  hideIcon?: boolean;
};

/**
 * A calm inline message. Pass role="alert" for an error that appears in
 * response to an action, role="status" for a polite update; none for static text.
 */
export function Banner({ variant = 'info', title, action, hideIcon, className, children, ...props }: BannerProps) {
  const { className: variantClass, Icon } = variants[variant];
  return (
    <div
      data-variant={variant}
      className={cn('flex flex-col gap-3 rounded-lg border px-3.5 py-3 text-sm sm:flex-row sm:items-center', variantClass, className)}
      {...props}
    >
      <div className="flex min-w-0 flex-1 items-start gap-2.5">
        {hideIcon ? null : (
          <span data-icon className="mt-0.5 shrink-0">
            <Icon aria-hidden="true" className="size-4" />
          </span>
        )}
        <div className="min-w-0 flex-1 leading-5">
          {title ? <p className="font-medium">{title}</p> : null}
          {children ? <div className={cn(title ? 'mt-0.5 opacity-90' : undefined)}>{children}</div> : null}
        </div>
      </div>
      {action ? <div className="flex shrink-0 items-center gap-2 pl-6.5 sm:pl-0">{action}</div> : null}
    </div>
  );
}
