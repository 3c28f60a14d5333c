'use client';

import * as React from 'react';
import { RedeployDialog, useRedeploy } from '@/components/deploys/redeploy-dialog';
import { Banner } from '@/components/ui/banner';
import { Button } from '@/components/ui/button';
import { MESSAGES } from '@/lib/deploys/schemas';
import { environmentLabel } from '@/lib/projects/schemas';

export type PendingChangesBannerProps = {
  projectId: string;
  environment: { id: string; name: string };
  /** OWNER/ADMIN see Redeploy; members only the message (the server checks the role anyway). */
  canRedeploy: boolean;
  /** Show the environment's name as the banner's title (the overview lists several). */
  showEnvironment?: boolean;
};

/**
 * `Secrets have changed. Changes will take effect in the next successful
 * deployment.` with Redeploy → the diff dialog → the redeploy. Render it only
 * when the environment has pending changes.
 */
export function PendingChangesBanner({ projectId, environment, canRedeploy, showEnvironment = false }: PendingChangesBannerProps) {
  const [open, setOpen] = React.useState(false);
  const { run, busy } = useRedeploy(projectId, environment);
  const envLabel = environmentLabel(environment.name);
  return (
    <section aria-label={`Pending changes in ${envLabel}`}>
      <Banner
        variant="warning"
        title={showEnvironment ? envLabel : undefined}
        action={
          canRedeploy ? (
            <Button variant="secondary" size="md" loading={busy} onClick={() => setOpen(true)}>
              Redeploy
            </Button>
          ) : null
        }
      >
        {MESSAGES.pendingChanges}
      </Banner>
      {canRedeploy ? <RedeployDialog projectId={projectId} environment={environment} open={open} onOpenChange={setOpen} onConfirm={run} /> : null}
    </section>
  );
}
