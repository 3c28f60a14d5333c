import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { NoPermission } from '@/components/secrets/no-permission';
import { SecretsView } from '@/components/secrets/secrets-view';
import { findProjectBySlug } from '@/lib/projects/queries';
import { can } from '@/lib/roles';
import { listSecrets } from '@/lib/secrets/queries';

export const metadata: Metadata = { title: 'Secrets · Keyhold' };

type SearchParams = Promise<{ env?: string; q?: string; after?: string }>;

export default async function SecretsPage({ params, searchParams }: { params: Promise<{ slug: string }>; searchParams: SearchParams }) {
  const [{ slug }, { env, q = '', after = null }] = await Promise.all([params, searchParams]);
  const project = await findProjectBySlug(slug);
  if (!project) notFound();
  if (!can.manageSecrets(project.role)) return <NoPermission />;

  const environment = project.environments.find((e) => e.name === env) ?? project.environments[0];
  const page = await listSecrets(project.id, environment.id, { q, after });
  return (
    <SecretsView
      projectId={project.id}
      environments={project.environments}
      environment={environment}
      page={page}
      q={q}
      after={after}
    />
  );
}
