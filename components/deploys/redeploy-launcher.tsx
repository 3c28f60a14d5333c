'use client';

import * as React from 'react';
import { RedeployDialog, useRedeploy } from '@/components/deploys/redeploy-dialog';
import { focusMain } from '@/components/skip-link';

type EnvironmentRef = { id: string; name: string };

/**
 * Opens the Redeploy dialog from elsewhere (the `Redeploy` of a secret's
 * success toast). Render `dialog`; call `open(environments)`: each
 * environment's dialog follows the previous one's Redeploy or Cancel.
 * When a dialog closes, focus goes back to where it was before the toast
 * (the toast is gone by then), else to the page's heading.
 */
export function useRedeployLauncher(projectId: string) {
  // The environments still to offer, in order; the first one's dialog is open.
  const [queue, setQueue] = React.useState<EnvironmentRef[]>([]);
  const next = React.useCallback(() => setQueue((environments) => environments.slice(1)), []);
  const focusBefore = useFocusOutsideToasts();
  const returnTo = React.useRef<HTMLElement | null>(null);
  const launch = React.useCallback(
    (environments: EnvironmentRef[]) => {
      returnTo.current = focusBefore.current;
      setQueue(environments);
    },
    [focusBefore],
  );
  const restoreFocus = React.useCallback((event: Event) => {
    event.preventDefault();
    returnTo.current?.focus();
    if (!returnTo.current || document.activeElement !== returnTo.current) focusMain();
  }, []);
  const current = queue[0];
  // One per environment (keyed): each runs its own redeploy, so the next one never waits for it.
  const dialog = current ? (
    <LaunchedRedeploy key={current.id} projectId={projectId} environment={current} onClose={next} onCloseAutoFocus={restoreFocus} />
  ) : null;
  return { open: launch, dialog };
}

/** The element focused last outside the toasts (clicking a toast's action focuses the toast). */
function useFocusOutsideToasts() {
  const last = React.useRef<HTMLElement | null>(null);
  React.useEffect(() => {
    const remember = (event: FocusEvent) => {
      if (event.target instanceof HTMLElement && !event.target.closest('[data-sonner-toaster]')) last.current = event.target;
    };
    document.addEventListener('focusin', remember);
    return () => document.removeEventListener('focusin', remember);
  }, []);
  return last;
}

function LaunchedRedeploy({
  projectId,
  environment,
  onClose,
  onCloseAutoFocus,
}: {
  projectId: string;
  environment: EnvironmentRef;
  onClose: () => void;
  onCloseAutoFocus: (event: Event) => void;
}) {
  const { run } = useRedeploy(projectId, environment);
  return (
    <RedeployDialog
      projectId={projectId}
      environment={environment}
      open
      onOpenChange={(open) => !open && onClose()}
      onConfirm={run}
      onCloseAutoFocus={onCloseAutoFocus}
    />
  );
}
