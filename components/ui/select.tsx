'use client';

import * as React from 'react';
import { ChevronDown } from 'lucide-react';
import { useFieldControlProps } from '@/components/ui/field';
import { controlClasses, controlTextClasses } from '@/components/ui/input';
import { cn } from '@/components/ui/cn';

/** A styled native <select>: keyboard, screen reader and mobile pickers for free. */
export function Select({ className, children, ...props }: React.ComponentProps<'select'>) {
  const a11y = useFieldControlProps(props);
  return (
    <div className={cn('relative min-w-0', className)}>
      <select data-slot="select" className={cn(controlClasses, controlTextClasses(), 'h-8 appearance-none pr-8 pl-2.5 leading-6')} {...props} {...a11y}>
        {children}
      </select>
      <ChevronDown aria-hidden="true" className="pointer-events-none absolute top-1/2 right-2.5 size-4 -translate-y-1/2 text-muted-foreground" />
    </div>
  );
}
