'use client';

import * as React from 'react';
import { useFieldControlProps } from '@/components/ui/field';
import { cn } from '@/components/ui/cn';

/** Shared look of text-like controls (add controlTextClasses for the font size). */
export const controlClasses =
  'w-full min-w-0 rounded-md border border-input bg-surface text-foreground shadow-xs outline-none ' +
  'transition-[border-color,box-shadow] placeholder:text-muted-foreground ' +
  'focus-visible:border-accent focus-visible:ring-3 focus-visible:ring-ring/25 ' +
  'aria-invalid:border-danger aria-invalid:focus-visible:ring-danger/20 ' +
  'disabled:cursor-not-allowed disabled:opacity-60';

/** Font and size: 16px on phones so iOS does not zoom; 14px (13px monospace) from sm up. */
export const controlTextClasses = (mono?: boolean) => (mono ? 'font-mono text-base sm:text-[13px]' : 'text-base sm:text-sm');

/** Read-only text inputs and textareas look inert (a <select> always matches :read-only, so not shared). */
export const readOnlyClasses = 'read-only:bg-surface-muted read-only:text-muted-foreground read-only:focus-visible:ring-0 read-only:focus-visible:border-input';

export type InputProps = React.ComponentProps<'input'> & {
  /** Monospace text (keys, values, code). */
  mono?: boolean;
};

export function Input({ className, type = 'text', mono, ...props }: InputProps) {
  const a11y = useFieldControlProps(props);
  return (
    <input
      type={type}
      data-slot="input"
      className={cn(controlClasses, controlTextClasses(mono), readOnlyClasses, 'h-8 px-2.5 leading-6', className)}
      {...props}
      {...a11y}
    />
  );
}
