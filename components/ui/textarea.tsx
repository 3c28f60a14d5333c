'use client';

import * as React from 'react';
import { useFieldControlProps } from '@/components/ui/field';
import { controlClasses, controlTextClasses, readOnlyClasses } from '@/components/ui/input';
import { cn } from '@/components/ui/cn';

export function Textarea({ className, rows = 3, mono, ...props }: React.ComponentProps<'textarea'> & { /** Monospace text. */ mono?: boolean }) {
  const a11y = useFieldControlProps(props);
  return (
    <textarea
      rows={rows}
      data-slot="textarea"
      className={cn(controlClasses, controlTextClasses(mono), readOnlyClasses, 'block min-h-16 resize-y px-2.5 py-1.5 leading-5', className)}
      {...props}
      {...a11y}
    />
  );
}
