import Link from 'next/link';

/** The body of a 404: inside the signed-in layout's <main>, or wrapped in one at the root. */
export function NotFoundMessage() {
  return (
    <div className="flex min-h-[60dvh] flex-col items-center justify-center gap-2 px-4 text-center">
      <h1 className="text-lg font-semibold">Not found</h1>
      <p className="text-sm text-muted-foreground">This page does not exist, or you do not have access to it.</p>
      <Link href="/projects" className="mt-2 text-sm font-medium text-accent hover:underline">
        Back to projects
      </Link>
    </div>
  );
}
