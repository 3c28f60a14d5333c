'use client';

import * as React from 'react';
import { useFieldControlProps } from '@/components/ui/field';
import { controlClasses, readOnlyClasses } from '@/components/ui/input';
import { cn } from '@/components/ui/cn';

export function Textarea({ className, rows = 3, ...props }: React.ComponentProps<'textarea'>) {
  const a11y = useFieldControlProps(props);
  return (
    <textarea
      rows={rows}
      data-slot="textarea"
      className={cn(controlClasses, readOnlyClasses, 'block min-h-16 resize-y px-2.5 py-1.5 leading-5', className)}
      {...props}
      {...a11y}
    />
  );
}
