'use client';

import * as React from 'react';
import { Toaster as Sonner, type ToasterProps } from 'sonner';
import { CircleCheck, CircleExclamationPoint, Info, LoaderCircle, TriangleExclamationPoint } from 'lucide-react';
import { useResolvedTheme } from '@/components/theme-toggle';

/**
 * Sonner, themed with the app's tokens. Render once (in <Providers>).
 * Toasts stay while the pointer rests on them, so they keep clear of the
 * right-hand edge, where tables pin their row actions and dialogs put their
 * primary button: bottom-left, and on phones (sonner's full width below
 * 600 px) narrowed to leave the pinned actions column free.
 */
export function Toaster(props: ToasterProps) {
  const theme = useResolvedTheme();
  return (
    <Sonner
      theme={theme}
      position="bottom-left"
      closeButton
      containerAriaLabel="Notifications"
      icons={{
        success: <CircleCheck className="size-4 text-success-muted-foreground" />,
        error: <CircleExclamationPoint className="size-4 text-danger-muted-foreground" />,
        warning: <TriangleExclamationPoint className="size-4 text-warning-muted-foreground" />,
        info: <Info className="size-4 text-accent" />,
        loading: <LoaderCircle className="size-4 animate-spin text-muted-foreground" />,
      }}
      style={
        {
          '--normal-bg': 'var(--surface)',
          '--normal-text': 'var(--foreground)',
          '--normal-border': 'var(--border)',
          '--border-radius': '0.625rem',
          fontFamily: 'var(--font-sans)',
          // Layers: dialogs (z-50) < toasts (55) < menus (z-60). A toast stays
          // readable over a dialog, but never covers a menu someone just opened
          // (hovering a toast pauses it, so it would cover the menu for good).
          zIndex: 55,
        } as React.CSSProperties
      }
      toastOptions={{
        classNames: {
          toast: 'shadow-popover! text-sm! max-[600px]:w-[calc(100%-5rem)]!',
          title: 'font-medium!',
          description: 'text-muted-foreground!',
        },
      }}
      {...props}
    />
  );
}
