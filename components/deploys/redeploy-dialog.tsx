'use client';

import * as React from 'react';
import { toast } from 'sonner';
import { ChangeList } from '@/components/deploys/change-summary';
import { Banner } from '@/components/ui/banner';
import { Button } from '@/components/ui/button';
import { Dialog, DialogBody, DialogClose, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from '@/components/ui/dialog';
import { Spinner } from '@/components/ui/spinner';
import { useSubmit } from '@/components/use-submit';
import { ACTION_FAILURES } from '@/lib/action-result';
import { previewRedeployAction, redeployAction } from '@/lib/deploys/actions';
import { countChanges, MESSAGES, needsRebuild } from '@/lib/deploys/schemas';
import type { DeliveryResult, RedeployPreview } from '@/lib/deploys/types';
import { environmentLabel } from '@/lib/projects/schemas';

/** Runs a redeploy and tells the truth about it in toasts (the action awaits the hook, ≤ 10 s). */
export function useRedeploy(projectId: string, environment: { id: string; name: string }) {
  const { submit, pending } = useSubmit('redeploy', redeployAction, { onSuccess: (delivery) => announce(delivery) });
  const run = async () => {
    if (pending) return;
    toast.info(MESSAGES.redeploying);
    await submit(projectId, environment.id);
  };
  return { run, busy: pending };
}

/** The toast after a redeploy, a retry or a rollback that the server answered. */
export function announce(delivery: DeliveryResult, { retry = false, rollbackOf }: { retry?: boolean; rollbackOf?: number } = {}) {
  const { number, environment, status, error } = delivery;
  const label = `${environmentLabel(environment)} #${number}`;
  if (status === 'SUCCEEDED' && rollbackOf !== undefined) {
    toast.success(`Rolled back to #${rollbackOf}`, {
      description: `${label} is live: consumers read the secrets of #${rollbackOf} again.`,
    });
  } else if (status === 'SUCCEEDED') {
    toast.success(retry ? `Deployment #${number} succeeded` : MESSAGES.deployed, {
      description: `${label} is live: consumers now read it.`,
    });
  } else {
    toast.error(`Deployment #${number} failed: ${error ?? 'unknown error'}`, {
      description: 'The previous deployment keeps serving. Retry it from Deploys.',
    });
  }
}

type Preview = { state: 'loading' } | { state: 'ready'; preview: RedeployPreview } | { state: 'error'; error: string };

export type RedeployDialogProps = {
  projectId: string;
  environment: { id: string; name: string };
  open: boolean;
  onOpenChange: (open: boolean) => void;
  /** Called when the user confirms; the dialog closes at once. */
  onConfirm: () => void;
  /** Where focus goes on close (default: back to the opener). */
  onCloseAutoFocus?: (event: Event) => void;
};

/** Shows what a redeploy changes against the last successful deployment (keys only), then confirms. */
export function RedeployDialog({ projectId, environment, open, onOpenChange, onConfirm, onCloseAutoFocus }: RedeployDialogProps) {
  const [preview, setPreview] = React.useState<Preview>({ state: 'loading' });
  const envLabel = environmentLabel(environment.name);

  React.useEffect(() => {
    if (!open) return;
    let cancelled = false;
    setPreview({ state: 'loading' });
    previewRedeployAction(projectId, environment.id).then(
      (result) => {
        if (cancelled) return;
        setPreview(result.ok ? { state: 'ready', preview: result.data } : { state: 'error', error: result.error });
      },
      () => !cancelled && setPreview({ state: 'error', error: ACTION_FAILURES.previewRedeploy }),
    );
    return () => {
      cancelled = true;
    };
  }, [open, projectId, environment.id]);

  const ready = preview.state === 'ready' ? preview.preview : null;

  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent size="md" onCloseAutoFocus={onCloseAutoFocus}>
        <DialogHeader>
          <DialogTitle>Redeploy {envLabel}</DialogTitle>
          <DialogDescription>
            {ready?.base
              ? `Compared with deployment #${ready.base.number}, the last successful one. Values are never shown.`
              : ready
                ? 'This is the first deployment of this environment. Values are never shown.'
                : 'Comparing with the last successful deployment. Values are never shown.'}
          </DialogDescription>
        </DialogHeader>
        <DialogBody className="grid gap-4" aria-busy={preview.state === 'loading' || undefined}>
          {preview.state === 'loading' ? (
            <p className="flex items-center gap-2 text-sm text-muted-foreground">
              <Spinner className="size-4" /> Loading the changes…
            </p>
          ) : preview.state === 'error' ? (
            <Banner variant="danger" role="alert">
              {preview.error}
            </Banner>
          ) : (
            <>
              {countChanges(preview.preview.changes) === 0 ? (
                <p className="text-sm">
                  No secret changes since the last successful deployment. Redeploying snapshots the same secrets again
                  {preview.preview.hook ? ' and notifies the deploy hook' : ''}.
                </p>
              ) : (
                <ChangeList changes={preview.preview.changes} />
              )}
              {needsRebuild(preview.preview.changes) ? (
                <Banner variant="warning">
                  Keys starting with <code className="font-mono">NEXT_PUBLIC_</code> are built into browser bundles: rebuild the app after this deployment for
                  browsers to see the change.
                </Banner>
              ) : null}
              <p className="text-sm text-muted-foreground">
                {preview.preview.secretCount === 1 ? '1 secret' : `${preview.preview.secretCount} secrets`} will be deployed.{' '}
                {preview.preview.hook
                  ? `Keyhold will notify ${preview.preview.hook.origin}${preview.preview.hook.signed ? ' (signed)' : ' (unsigned)'}; the deployment succeeds when it answers 2xx within 10 seconds.`
                  : 'No deploy hook is set, so the deployment succeeds at once.'}
              </p>
            </>
          )}
        </DialogBody>
        <DialogFooter>
          <DialogClose asChild>
            <Button variant="secondary">Cancel</Button>
          </DialogClose>
          <Button
            variant="primary"
            disabled={preview.state !== 'ready'}
            onClick={() => {
              onOpenChange(false);
              onConfirm();
            }}
          >
            Redeploy
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}
