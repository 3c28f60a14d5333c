import Link from 'next/link';
import { NoPermission } from '@/components/projects/no-permission';
import { buttonVariants } from '@/components/ui/button';

/** What a member without a second factor sees on every page of a project that requires one. */
export function SecondFactorRequired({ projectName }: { projectName: string }) {
  return (
    <main className="mx-auto grid max-w-6xl gap-4 px-4 py-8">
      <NoPermission
        title="Set up a second factor"
        message={`${projectName} requires a second factor for everyone.`}
        hint="Set one up under Account before you do anything else here; then come back."
      />
      <div>
        <Link href="/account" className={buttonVariants({ variant: 'primary' })}>
          Set up second factor
        </Link>
      </div>
    </main>
  );
}
