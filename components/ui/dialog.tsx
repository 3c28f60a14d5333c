'use client';

import * as React from 'react';
import { Dialog as DialogPrimitive } from 'radix-ui';
import { X } from 'lucide-react';
import { cn } from '@/components/ui/cn';

/**
 * Radix Dialog: focus is trapped inside, Escape and the close button close it,
 * focus returns to the opener, the title and description label the dialog.
 * Compose: <Dialog><DialogContent><DialogHeader><DialogTitle/><DialogDescription/></DialogHeader>
 * <DialogBody/>  <DialogFooter/></DialogContent></Dialog>
 */
export const Dialog = DialogPrimitive.Root;
export const DialogTrigger = DialogPrimitive.Trigger;
export const DialogClose = DialogPrimitive.Close;

const widths = {
  sm: 'max-w-md',
  md: 'max-w-lg',
  lg: 'max-w-2xl',
} as const;

export type DialogContentProps = React.ComponentProps<typeof DialogPrimitive.Content> & {
  size?: keyof typeof widths;
  /** The × button in the corner (labelled "Close"). */
  showCloseButton?: boolean;
};

export function DialogContent({ className, children, size = 'md', showCloseButton = true, onOpenAutoFocus, onCloseAutoFocus, ...props }: DialogContentProps) {
  // Radix returns focus only to a <DialogTrigger>; a dialog opened from state
  // (a row's button) gives it back to whatever had it when it opened. A caller's
  // onCloseAutoFocus that calls preventDefault() decides instead (e.g. a menu
  // item, gone by then, hands focus to its menu's trigger).
  // Radix hands focus back a tick after the dialog has left the page: only
  // focus that fell to the body moves, never away from where someone went meanwhile
  // (a menu opened at once would close, another dialog would lose its focus).
  const opener = React.useRef<HTMLElement | null>(null);
  return (
    <DialogPrimitive.Portal>
      <DialogPrimitive.Overlay className="fixed inset-0 z-50 bg-overlay backdrop-blur-[1px] motion-safe:data-[state=open]:animate-fade-in" />
      <DialogPrimitive.Content
        className={cn(
          'fixed top-1/2 left-1/2 z-50 flex max-h-[calc(100dvh-2rem)] w-[calc(100vw-1.5rem)] -translate-x-1/2 -translate-y-1/2 flex-col',
          'overflow-hidden rounded-xl border bg-surface text-foreground shadow-dialog outline-none',
          'motion-safe:data-[state=open]:animate-dialog-in',
          widths[size],
          className,
        )}
        onOpenAutoFocus={(event) => {
          const active = document.activeElement;
          opener.current = active instanceof HTMLElement && active !== document.body ? active : null;
          onOpenAutoFocus?.(event);
        }}
        onCloseAutoFocus={(event) => {
          const target = opener.current;
          opener.current = null;
          if (document.activeElement && document.activeElement !== document.body) {
            event.preventDefault();
            return;
          }
          onCloseAutoFocus?.(event);
          if (event.defaultPrevented || !target?.isConnected) return;
          event.preventDefault();
          target.focus();
        }}
        {...props}
      >
        {children}
        {showCloseButton ? (
          <DialogPrimitive.Close
            aria-label="Close"
            className="focus-ring absolute top-3.5 right-3.5 inline-flex size-7 items-center justify-center rounded-md text-muted-foreground transition-colors hover:bg-surface-hover hover:text-foreground"
          >
            <X aria-hidden="true" className="size-4" />
          </DialogPrimitive.Close>
        ) : null}
      </DialogPrimitive.Content>
    </DialogPrimitive.Portal>
  );
}

export function DialogHeader({ className, ...props }: React.ComponentProps<'div'>) {
  return <div className={cn('grid gap-1 px-5 pt-5 pr-12 pb-3', className)} {...props} />;
}

export function DialogTitle({ className, ...props }: React.ComponentProps<typeof DialogPrimitive.Title>) {
  return <DialogPrimitive.Title className={cn('text-base leading-6 font-semibold', className)} {...props} />;
}

export function DialogDescription({ className, ...props }: React.ComponentProps<typeof DialogPrimitive.Description>) {
  return <DialogPrimitive.Description className={cn('text-sm text-muted-foreground', className)} {...props} />;
}

/** The scrollable middle of a dialog. */
export function DialogBody({ className, ...props }: React.ComponentProps<'div'>) {
  return <div className={cn('min-h-0 flex-1 overflow-y-auto px-5 pt-1 pb-5', className)} {...props} />;
}

export function DialogFooter({ className, ...props }: React.ComponentProps<'div'>) {
  return (
    <div className={cn('flex flex-col-reverse gap-2 border-t bg-surface-muted px-5 py-3 sm:flex-row sm:items-center sm:justify-end', className)} {...props} />
  );
}
