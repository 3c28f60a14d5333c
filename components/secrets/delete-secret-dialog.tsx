'use client';

import { RecentReadWarning } from '@/components/secrets/last-read';
import { Button } from '@/components/ui/button';
import { Dialog, DialogBody, DialogClose, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from '@/components/ui/dialog';
import { KeyInEnvironment } from '@/components/secrets/secret-form-dialog';
import { useSubmit } from '@/components/use-submit';
import { deleteSecretAction } from '@/lib/secrets/actions';
import type { SecretRow } from '@/lib/secrets/types';

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
  const { submit, pending } = useSubmit('deleteSecret', deleteSecretAction, {
    success: 'Secret deleted successfully',
    onSuccess: (_, [, secretId]) => {
      onDeleted?.(secretId);
      onOpenChange(false);
    },
  });

  const onConfirm = () => {
    if (secret && !pending) void submit(projectId, secret.id);
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
            This action can&apos;t be undone. The secret and all its versions will be deleted from this environment. Deployments already made keep their copy
            until the next deploy.
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
