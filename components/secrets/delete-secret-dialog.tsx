'use client';

import * as React from 'react';
import { useRouter } from 'next/navigation';
import { toast } from 'sonner';
import { RecentReadWarning } from '@/components/secrets/last-read';
import { Button } from '@/components/ui/button';
import {
  Dialog,
  DialogBody,
  DialogClose,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
} from '@/components/ui/dialog';
import { KeyInEnvironment } from '@/components/secrets/secret-form-dialog';
import { deleteSecretAction } from '@/lib/secrets/actions';
import type { SecretRow } from '@/lib/secrets/types';

const DELETE_FAILED = 'Failed to delete secret. Please, try again.';

export type DeleteSecretDialogProps = {
  projectId: string;
  /** The secret to delete; keep it set while the dialog animates closed. */
  secret: Pick<SecretRow, 'id' | 'key' | 'lastRead'> | null;
  /** The environment it is deleted from, named under the title. */
  environmentName: string;
  open: boolean;
  onOpenChange: (open: boolean) => void;
  /** Called after a successful delete (before the dialog closes). */
  onDeleted?: (secretId: string) => void;
  onCloseAutoFocus?: (event: Event) => void;
};

/** Confirms and deletes one secret. */
export function DeleteSecretDialog({ projectId, secret, environmentName, open, onOpenChange, onDeleted, onCloseAutoFocus }: DeleteSecretDialogProps) {
  const router = useRouter();
  const [pending, setPending] = React.useState(false);

  const onConfirm = async () => {
    if (!secret || pending) return;
    setPending(true);
    let result;
    try {
      result = await deleteSecretAction(projectId, secret.id);
    } catch {
      result = { ok: false as const, error: DELETE_FAILED };
    }
    setPending(false);
    if (result.ok) {
      toast.success('Secret deleted successfully');
      onDeleted?.(secret.id);
      onOpenChange(false);
      router.refresh();
    } else {
      toast.error(result.error);
    }
  };

  return (
    <Dialog
      open={open && secret !== null}
      onOpenChange={(next) => {
        if (!next && pending) return;
        onOpenChange(next);
      }}
    >
      <DialogContent size="sm" onCloseAutoFocus={onCloseAutoFocus}>
        <DialogHeader>
          <DialogTitle>Delete Secret</DialogTitle>
          <DialogDescription>{secret ? <KeyInEnvironment secretKey={secret.key} environment={environmentName} /> : null}</DialogDescription>
        </DialogHeader>
        <DialogBody className="grid gap-3">
          <RecentReadWarning secret={secret} />
          <p className="text-sm">
            This action can&apos;t be undone. The secret and all its versions will be deleted from this environment.
            Deployments already made keep their copy until the next deploy.
          </p>
        </DialogBody>
        <DialogFooter>
          <DialogClose asChild>
            <Button variant="secondary" disabled={pending}>
              Cancel
            </Button>
          </DialogClose>
          <Button variant="danger" loading={pending} onClick={onConfirm}>
            Delete secret
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}
