import type { Metadata } from 'next';
import { PendingChangesBanner } from '@/components/deploys/pending-changes-banner';
import { NoPermission } from '@/components/projects/no-permission';
import { SecretsView } from '@/components/secrets/secrets-view';
import { environmentDeployState } from '@/lib/deploys/queries';
import { projectForPage } from '@/lib/projects/queries';
import { allows, deniedMessage } from '@/lib/permissions';
import { listSecrets } from '@/lib/secrets/queries';

export const metadata: Metadata = { title: 'Secrets · Keyhold' };

type SearchParams = Promise<{ env?: string; q?: string; after?: string }>;

export default async function SecretsPage({ params, searchParams }: { params: Promise<{ slug: string }>; searchParams: SearchParams }) {
  const [{ slug }, { env, q = '', after = null }] = await Promise.all([params, searchParams]);
  const project = await projectForPage(slug);
  if (!project) return null;
  if (!allows(project.role, 'manageSecrets')) {
    return (
      <NoPermission
        title="Secrets"
        message={deniedMessage('manageSecrets')}
        hint="Ask a project owner or admin if you need access."
      />
    );
  }

  const environment = project.environments.find((e) => e.name === env) ?? project.environments[0];
  const [page, deployState] = await Promise.all([
    listSecrets(project.id, environment.id, { q, after }),
    environmentDeployState(project.id, environment.id),
  ]);
  return (
    <div className="grid gap-6">
      {deployState.pending ? (
        <PendingChangesBanner projectId={project.id} environment={environment} canRedeploy={allows(project.role, 'redeploy')} />
      ) : null}
      <SecretsView
        projectId={project.id}
        environments={project.environments}
        environment={environment}
        page={page}
        q={q}
        after={after}
      />
    </div>
  );
}
