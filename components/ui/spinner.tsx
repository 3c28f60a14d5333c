import { LoaderCircle } from 'lucide-react';
import { cn } from '@/components/ui/cn';

/** A decorative spinner; say what is loading in text next to it or in aria-busy. */
export function Spinner({ className }: { className?: string }) {
  return <LoaderCircle aria-hidden="true" className={cn('animate-spin motion-reduce:animate-none', className)} />;
}
