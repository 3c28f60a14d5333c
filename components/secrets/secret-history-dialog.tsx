'use client';

import * as React from 'react';
import { Clock, RotateCcw } from 'lucide-react';
import { Banner } from '@/components/ui/banner';
import { Button } from '@/components/ui/button';
import { Dialog, DialogBody, DialogClose, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from '@/components/ui/dialog';
import { RelativeTime } from '@/components/ui/relative-time';
import { Skeleton } from '@/components/ui/skeleton';
import { useSubmit } from '@/components/use-submit';
import { KeyInEnvironment } from '@/components/secrets/secret-form-dialog';
import { ACTION_FAILURES } from '@/lib/action-result';
import { restoreSecretVersionAction, secretHistoryAction } from '@/lib/secrets/actions';
import type { SecretHistoryEntry, SecretRow } from '@/lib/secrets/types';

export type SecretHistoryDialogProps = {
  projectId: string;
  secret: Pick<SecretRow, 'id' | 'key'> | null;
  environmentName: string;
  open: boolean;
  onOpenChange: (open: boolean) => void;
  onCloseAutoFocus?: (event: Event) => void;
};

/**
 * The change history of one secret (who changed what, when; never a value).
 * Loads on open. Earlier value versions offer `Restore this version` (only
 * owners and admins open this dialog; the server checks the role anyway).
 */
export function SecretHistoryDialog({ projectId, secret, environmentName, open, onOpenChange, onCloseAutoFocus }: SecretHistoryDialogProps) {
  return (
    <Dialog open={open && secret !== null} onOpenChange={onOpenChange}>
      <DialogContent size="md" showCloseButton={false} onCloseAutoFocus={onCloseAutoFocus}>
        <DialogHeader>
          <DialogTitle>Change history</DialogTitle>
          <DialogDescription>{secret ? <KeyInEnvironment secretKey={secret.key} environment={environmentName} /> : null}</DialogDescription>
        </DialogHeader>
        <DialogBody className="pt-2">{secret ? <HistoryList projectId={projectId} secretId={secret.id} /> : null}</DialogBody>
        <DialogFooter>
          <DialogClose asChild>
            <Button variant="secondary">Close</Button>
          </DialogClose>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}

type State = { status: 'loading' } | { status: 'error'; error: string } | { status: 'done'; entries: SecretHistoryEntry[] };

function HistoryList({ projectId, secretId }: { projectId: string; secretId: string }) {
  const [state, setState] = React.useState<State>({ status: 'loading' });
  const [attempt, setAttempt] = React.useState(0);
  const [restoring, setRestoring] = React.useState<number | null>(null);
  // The refresh updates the table's "Last updated" and the pending-changes banner.
  const { submit } = useSubmit('restoreSecretVersion', restoreSecretVersionAction, {
    success: ({ version }, [, , restored]) => `Version ${restored} restored as version ${version}`,
    onSuccess: () => setAttempt((n) => n + 1),
  });

  const restore = async (version: number) => {
    setRestoring(version);
    await submit(projectId, secretId, version);
    setRestoring(null);
  };

  React.useEffect(() => {
    let cancelled = false;
    secretHistoryAction(projectId, secretId)
      .then((result) => {
        if (cancelled) return;
        setState(result.ok ? { status: 'done', entries: result.data } : { status: 'error', error: result.error });
      })
      .catch(() => {
        if (!cancelled) setState({ status: 'error', error: ACTION_FAILURES.secretHistory });
      });
    return () => {
      cancelled = true;
    };
  }, [projectId, secretId, attempt]);

  if (state.status === 'loading') {
    return (
      <div aria-busy="true">
        <span className="sr-only" role="status">
          Loading change history…
        </span>
        <ul className="grid gap-3">
          {[0, 1, 2].map((i) => (
            <li key={i} className="flex gap-3">
              <Skeleton className="mt-0.5 size-6 rounded-full" />
              <div className="grid flex-1 gap-1.5">
                <Skeleton className="h-4 w-3/5" />
                <Skeleton className="h-3 w-2/5" />
              </div>
            </li>
          ))}
        </ul>
      </div>
    );
  }

  if (state.status === 'error') {
    return (
      <Banner
        variant="danger"
        role="alert"
        action={
          <Button
            size="sm"
            onClick={() => {
              setState({ status: 'loading' });
              setAttempt((n) => n + 1);
            }}
          >
            Try again
          </Button>
        }
      >
        {state.error}
      </Banner>
    );
  }

  if (state.entries.length === 0) {
    return <p className="py-6 text-center text-sm text-muted-foreground">No changes recorded yet.</p>;
  }

  return (
    <ol aria-label="Changes, newest first" className="relative grid gap-4">
      {state.entries.map((entry, index) => (
        <li key={entry.id} className="relative flex gap-3">
          {index < state.entries.length - 1 ? <span aria-hidden="true" className="absolute top-7 bottom-[-1rem] left-3 w-px bg-border" /> : null}
          <span
            aria-hidden="true"
            className="relative flex size-6 shrink-0 items-center justify-center rounded-full border bg-surface-muted text-muted-foreground"
          >
            <Clock className="size-3.5" />
          </span>
          <div className="min-w-0 flex-1 pt-0.5">
            <p className="text-sm leading-5 font-medium break-words">{entry.summary}</p>
            <p className="text-xs leading-4 text-muted-foreground">
              <span className="break-all">{entry.actor}</span> · <RelativeTime date={entry.at} />
            </p>
          </div>
          {entry.restorable && entry.version !== null ? (
            <Button
              size="sm"
              className="shrink-0"
              loading={restoring === entry.version}
              disabled={restoring !== null}
              onClick={() => restore(entry.version!)}
              aria-label={`Restore this version (version ${entry.version})`}
            >
              {restoring === entry.version ? null : <RotateCcw aria-hidden="true" />}
              Restore this version
            </Button>
          ) : null}
        </li>
      ))}
    </ol>
  );
}
