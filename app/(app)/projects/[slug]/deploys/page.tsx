import type { Metadata } from 'next';
import Link from 'next/link';
import { ChevronRight, Rocket } from 'lucide-react';
import { DeploymentsTable } from '@/components/deploys/deployments-table';
import { buttonVariants } from '@/components/ui/button';
import { cn } from '@/components/ui/cn';
import { EmptyState } from '@/components/ui/empty-state';
import { listDeployments } from '@/lib/deploys/queries';
import { environmentLabel } from '@/lib/projects/schemas';
import { projectForPage } from '@/lib/projects/queries';
import { allows } from '@/lib/permissions';

export const metadata: Metadata = { title: 'Deploys · Keyhold' };

type SearchParams = Promise<{ env?: string; cursor?: string }>;

export default async function DeploysPage({ params, searchParams }: { params: Promise<{ slug: string }>; searchParams: SearchParams }) {
  const [{ slug }, { env, cursor }] = await Promise.all([params, searchParams]);
  const project = await projectForPage(slug);
  if (!project) return null;
  const environment = project.environments.find((e) => e.name === env) ?? null;
  const page = await listDeployments(project.id, { environmentId: environment?.id ?? null, cursor: cursor || null });
  const base = `/projects/${project.slug}/deploys`;
  const href = (name: string | null, next?: string | null) => {
    const query = new URLSearchParams();
    if (name) query.set('env', name);
    if (next) query.set('cursor', next);
    const qs = query.toString();
    return qs ? `${base}?${qs}` : base;
  };
  const filters = [{ name: null as string | null, label: 'All' }, ...project.environments.map((e) => ({ name: e.name, label: environmentLabel(e.name) }))];

  return (
    <div className="mx-auto grid max-w-6xl gap-6 px-4 py-8">
      <header className="grid gap-1">
        <h1 className="text-xl leading-7 font-semibold tracking-tight">Deploys</h1>
        <p className="max-w-2xl text-sm text-muted-foreground">
          Each deployment is an immutable, numbered snapshot of an environment&apos;s secrets. Consumers read the latest successful one; a failed deployment
          never serves and can be retried.
        </p>
      </header>

      <nav aria-label="Filter by environment">
        <ul className="flex w-full rounded-lg border bg-surface-muted p-0.5 sm:w-fit">
          {filters.map((filter) => {
            const active = (environment?.name ?? null) === filter.name;
            return (
              <li key={filter.label} className="flex-1 sm:flex-none">
                <Link
                  href={href(filter.name)}
                  aria-current={active ? 'page' : undefined}
                  scroll={false}
                  className={cn(
                    'focus-ring flex h-7 items-center justify-center rounded-md px-3 text-sm font-medium whitespace-nowrap transition-colors',
                    active ? 'bg-surface text-foreground shadow-xs ring-1 ring-border' : 'text-muted-foreground hover:text-foreground',
                  )}
                >
                  {filter.label}
                </Link>
              </li>
            );
          })}
        </ul>
      </nav>

      {page.rows.length > 0 ? (
        <DeploymentsTable projectId={project.id} rows={page.rows} canRetry={allows(project.role, 'redeploy')} />
      ) : (
        <EmptyState
          icon={<Rocket />}
          title={cursor ? 'No older deployments.' : environment ? `No deployments of ${environmentLabel(environment.name)} yet` : 'No deployments yet'}
          description="After a secret changes, press Redeploy on the Secrets page or the project overview: Keyhold shows what changes, then snapshots the environment."
        />
      )}

      {cursor || page.nextCursor ? (
        <nav aria-label="Pagination" className="flex items-center justify-end gap-2">
          {cursor ? (
            <Link href={href(environment?.name ?? null)} className={buttonVariants()}>
              Newest
            </Link>
          ) : null}
          {page.nextCursor ? (
            <Link href={href(environment?.name ?? null, page.nextCursor)} className={buttonVariants()}>
              Older deployments
              <ChevronRight aria-hidden="true" />
            </Link>
          ) : null}
        </nav>
      ) : null}
    </div>
  );
}
