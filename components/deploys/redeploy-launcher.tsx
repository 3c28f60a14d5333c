'use client';

import * as React from 'react';
import { RedeployDialog, useRedeploy } from '@/components/deploys/redeploy-dialog';

type EnvironmentRef = { id: string; name: string };

/**
 * Opens the Redeploy dialog for an environment from elsewhere (the `Redeploy`
 * of a secret's success toast). Render `dialog`; call `open(environment)`.
 */
export function useRedeployLauncher(projectId: string) {
  const [target, setTarget] = React.useState<EnvironmentRef | null>(null);
  const [open, setOpen] = React.useState(false);
  const { run } = useRedeploy(projectId, target ?? { id: '', name: '' });
  const dialog = target ? <RedeployDialog projectId={projectId} environment={target} open={open} onOpenChange={setOpen} onConfirm={run} /> : null;
  const launch = React.useCallback((environment: EnvironmentRef) => {
    setTarget(environment);
    setOpen(true);
  }, []);
  return { open: launch, dialog };
}
