import type { Metadata } from 'next';
import { PendingChangesBanner } from '@/components/deploys/pending-changes-banner';
import { NoPermission } from '@/components/projects/no-permission';
import { SecretsView } from '@/components/secrets/secrets-view';
import { hasPendingDeploy } from '@/lib/deploys/queries';
import { projectForPage } from '@/lib/projects/queries';
import { allows, deniedMessage } from '@/lib/permissions';
import { parseSecretListQuery } from '@/lib/secrets/list-query';
import { listSecrets } from '@/lib/secrets/queries';

export const metadata: Metadata = { title: 'Secrets · Keyhold' };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function SecretsPage({ params, searchParams }: { params: Promise<{ slug: string }>; searchParams: SearchParams }) {
  const [{ slug }, search] = await Promise.all([params, searchParams]);
  const project = await projectForPage(slug);
  if (!project) return null;
  if (!allows(project.role, 'manageSecrets')) {
    return <NoPermission title="Secrets" message={deniedMessage('manageSecrets')} hint="Ask a project owner or admin if you need access." />;
  }

  const environment = project.environments.find((e) => e.name === search.env) ?? project.environments[0];
  const query = parseSecretListQuery(search);
  const [page, pending] = await Promise.all([listSecrets(project.id, environment.id, query), hasPendingDeploy(project.id, environment.id)]);
  return (
    <div className="grid grid-cols-1 gap-6">
      {pending ? <PendingChangesBanner projectId={project.id} environment={environment} canRedeploy={allows(project.role, 'redeploy')} /> : null}
      <SecretsView projectId={project.id} environments={project.environments} environment={environment} page={page} query={query} />
    </div>
  );
}
