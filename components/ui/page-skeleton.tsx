import { Skeleton } from '@/components/ui/skeleton';

/** A page's placeholder while its server component loads: a title, a toolbar and a few rows. */
export function PageSkeleton({ rows = 4 }: { rows?: number }) {
  return (
    <div aria-busy="true" className="grid gap-4">
      <span className="sr-only">Loading…</span>
      <Skeleton className="h-7 w-40" />
      <Skeleton className="h-4 w-full max-w-lg" />
      <div className="mt-2 flex gap-2">
        <Skeleton className="h-8 w-64" />
        <Skeleton className="ml-auto h-8 w-28" />
      </div>
      <div className="grid gap-2 rounded-lg border p-3">
        {Array.from({ length: rows }, (_, i) => (
          <Skeleton key={i} className="h-9 w-full" />
        ))}
      </div>
    </div>
  );
}
