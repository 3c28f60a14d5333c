import * as React from 'react';
import { cn } from '@/components/ui/cn';

export function Label({ className, ...props }: React.ComponentProps<'label'>) {
  return <label className={cn('text-sm leading-5 font-medium text-foreground', className)} {...props} />;
}
