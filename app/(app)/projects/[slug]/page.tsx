import type { Metadata } from 'next';
import { EnvironmentStates } from '@/components/deploys/environment-states';
import { KeyMatrixTable } from '@/components/deploys/key-matrix';
import { PendingChangesBanner } from '@/components/deploys/pending-changes-banner';
import { GettingStarted } from '@/components/projects/getting-started';
import { projectDeployOverview } from '@/lib/deploys/queries';
import { projectForPage } from '@/lib/projects/queries';
import { allows } from '@/lib/permissions';

export const metadata: Metadata = { title: 'Overview · Keyhold' };

// Each environment's deploy state and the keys × environments matrix. Row
// data only: nothing here is decrypted.
export default async function ProjectOverviewPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const project = await projectForPage(slug);
  if (!project) return null;
  const overview = await projectDeployOverview(project.id);
  const pending = overview.environments.filter((environment) => environment.pending);
  return (
    <div className="mx-auto grid max-w-6xl gap-8 px-4 py-8">
      {overview.matrix.totalKeys === 0 ? <GettingStarted slug={project.slug} canManage={allows(project.role, 'manageSecrets')} /> : null}
      {pending.length > 0 ? (
        <div className="grid gap-2">
          {pending.map((environment) => (
            <PendingChangesBanner
              key={environment.id}
              projectId={project.id}
              environment={{ id: environment.id, name: environment.name }}
              canRedeploy={allows(project.role, 'redeploy')}
              showEnvironment
            />
          ))}
        </div>
      ) : null}
      <section aria-labelledby="environments-heading" className="grid gap-4">
        <div>
          <h2 id="environments-heading" className="text-base font-semibold">
            Environments
          </h2>
          <p className="mt-1 text-sm text-muted-foreground">
            Consumers read each environment&apos;s latest successful deployment; edits take effect when you redeploy.
          </p>
        </div>
        <EnvironmentStates slug={project.slug} environments={overview.environments} canManageSecrets={allows(project.role, 'manageSecrets')} />
      </section>
      <section aria-labelledby="matrix-heading" className="grid gap-3">
        <h2 id="matrix-heading" className="text-base font-semibold">
          Keys across environments
        </h2>
        <KeyMatrixTable matrix={overview.matrix} projectId={allows(project.role, 'manageSecrets') ? project.id : undefined} />
      </section>
    </div>
  );
}
