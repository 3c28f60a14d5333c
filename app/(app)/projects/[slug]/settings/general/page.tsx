import type { Metadata } from 'next';
import { DeployHookForm, DeployHookSummary } from '@/components/deploys/deploy-hook-form';
import { RenameProjectForm } from '@/components/projects/rename-project-form';
import { SecondFactorPolicyForm } from '@/components/projects/second-factor-policy-form';
import { deployHookSettings } from '@/lib/deploys/queries';
import { projectForPage, secondFactorPolicy } from '@/lib/projects/queries';
import { allows } from '@/lib/permissions';

export const metadata: Metadata = { title: 'General settings · Keyhold' };

export default async function GeneralSettingsPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const project = await projectForPage(slug);
  if (!project) return null;
  const [hooks, policy] = await Promise.all([
    deployHookSettings(project.id),
    allows(project.role, 'requireSecondFactor') ? secondFactorPolicy(project.id) : null,
  ]);
  const manageHooks = allows(project.role, 'manageDeployHooks');
  return (
    <div className="grid grid-cols-1 gap-6">
      <div>
        <h1 className="text-xl font-semibold tracking-tight">General</h1>
        <p className="mt-1 text-sm text-muted-foreground">The project&apos;s name, address, second-factor rule and deploy hooks.</p>
      </div>
      <section className="rounded-lg border border-border bg-surface p-5 shadow-xs">
        <h2 className="font-medium">Project name</h2>
        <p className="mt-1 mb-4 text-sm text-muted-foreground">
          Shown to members. The slug <span className="font-mono text-foreground">{project.slug}</span> in its URL stays the same.
        </p>
        {allows(project.role, 'renameProject') ? <RenameProjectForm projectId={project.id} name={project.name} /> : <p className="text-sm">{project.name}</p>}
      </section>
      {policy ? (
        <section aria-labelledby="second-factor-heading" className="rounded-lg border border-border bg-surface p-5 shadow-xs">
          <h2 id="second-factor-heading" className="font-medium">
            Second factor
          </h2>
          <p className="mt-1 mb-4 max-w-2xl text-sm text-muted-foreground">
            When required, members without a second factor can open nothing in this project until they set one up under Account.{' '}
            {policy.membersWithout === 0 ? 'Every member has one.' : `${policy.membersWithout} of its members have none yet.`}
            {policy.ownerHasSecondFactor ? '' : ' Set up your own second factor first.'}
          </p>
          <SecondFactorPolicyForm projectId={project.id} policy={policy} />
        </section>
      ) : null}
      <section aria-labelledby="deploy-hooks-heading" className="rounded-lg border border-border bg-surface p-5 shadow-xs">
        <h2 id="deploy-hooks-heading" className="font-medium">
          Deploy hooks
        </h2>
        <p className="mt-1 mb-4 max-w-2xl text-sm text-muted-foreground">
          After each redeploy, Keyhold POSTs a signed JSON notification (project, environment, deployment number and the keys that changed; never a value) to
          the environment&apos;s hook. The deployment succeeds when the hook answers 2xx within 10 seconds.
        </p>
        <div className="grid divide-y divide-border">
          {hooks.map((settings) => (
            <div key={settings.environment.id} className="py-4 first:pt-0 last:pb-0">
              {manageHooks ? <DeployHookForm projectId={project.id} settings={settings} /> : <DeployHookSummary settings={settings} />}
            </div>
          ))}
        </div>
      </section>
    </div>
  );
}
