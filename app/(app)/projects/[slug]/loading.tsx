import { PageSkeleton } from '@/components/ui/page-skeleton';

export default function ProjectLoading() {
  return (
    <div className="mx-auto max-w-6xl px-4 py-8">
      <PageSkeleton rows={3} />
    </div>
  );
}
