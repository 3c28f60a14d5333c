import Link from 'next/link';
import { notFound } from 'next/navigation';
import { environmentOverview, findProjectBySlug } from '@/lib/projects/queries';
import { environmentLabel } from '@/lib/projects/schemas';
import { can } from '@/lib/roles';

export default async function ProjectOverviewPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const project = await findProjectBySlug(slug);
  if (!project) notFound();
  const environments = await environmentOverview(project.id);
  const manage = can.manageSecrets(project.role);
  return (
    <main className="mx-auto max-w-6xl px-4 py-8">
      <h2 className="mb-4 text-base font-semibold">Environments</h2>
      <ul className="grid gap-3 sm:grid-cols-3">
        {environments.map((environment) => (
          <li key={environment.id} className="rounded-lg border border-border bg-surface p-4 shadow-xs">
            <div className="font-medium">{environmentLabel(environment.name)}</div>
            <p className="mt-1 text-sm text-muted-foreground">
              {environment.secretCount === 1 ? '1 secret' : `${environment.secretCount} secrets`}
            </p>
            {manage ? (
              <Link
                href={`/projects/${project.slug}/settings/secrets?env=${environment.name}`}
                className="mt-3 inline-block text-sm font-medium text-accent hover:underline focus-ring rounded"
              >
                Manage secrets
              </Link>
            ) : null}
          </li>
        ))}
      </ul>
    </main>
  );
}
