'use client';

import * as React from 'react';
import { RedeployDialog, useRedeploy } from '@/components/deploys/redeploy-dialog';

type EnvironmentRef = { id: string; name: string };

/**
 * Opens the Redeploy dialog from elsewhere (the `Redeploy` of a secret's
 * success toast). Render `dialog`; call `open(environments)`: each
 * environment's dialog follows the previous one's Redeploy or Cancel.
 */
export function useRedeployLauncher(projectId: string) {
  // The environments still to offer, in order; the first one's dialog is open.
  const [queue, setQueue] = React.useState<EnvironmentRef[]>([]);
  const next = React.useCallback(() => setQueue((environments) => environments.slice(1)), []);
  const launch = React.useCallback((environments: EnvironmentRef[]) => setQueue(environments), []);
  const current = queue[0];
  // One per environment (keyed): each runs its own redeploy, so the next one never waits for it.
  const dialog = current ? <LaunchedRedeploy key={current.id} projectId={projectId} environment={current} onClose={next} /> : null;
  return { open: launch, dialog };
}

function LaunchedRedeploy({ projectId, environment, onClose }: { projectId: string; environment: EnvironmentRef; onClose: () => void }) {
  const { run } = useRedeploy(projectId, environment);
  return <RedeployDialog projectId={projectId} environment={environment} open onOpenChange={(open) => !open && onClose()} onConfirm={run} />;
}
