'use client';

import { KeyRound } from 'lucide-react';
import { useState } from 'react';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Dialog, DialogBody, DialogClose, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from '@/components/ui/dialog';
import { EmptyState } from '@/components/ui/empty-state';
import { formatFullDate, RelativeTime } from '@/components/ui/relative-time';
import { Table, TableBody, TableCell, TableContainer, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import { useFocusAfterRemoval } from '@/components/use-focus-after-removal';
import { useSubmit } from '@/components/use-submit';
import { environmentLabel } from '@/lib/projects/schemas';
import { revokeTokenAction } from '@/lib/tokens/actions';
import { TOKEN_SCOPE_LABELS } from '@/lib/tokens/schemas';
import type { TokenRow } from '@/lib/tokens/types';

const revokeButtonId = (tokenId: string) => `revoke-token-${tokenId}`;
const LIST_ID = 'service-tokens';

/** A project's service tokens; revoking one asks first and takes effect at once. */
export function TokenList({ projectId, tokens }: { projectId: string; tokens: TokenRow[] }) {
  const [revoking, setRevoking] = useState<TokenRow | null>(null);
  const [open, setOpen] = useState(false);
  const revoked = useFocusAfterRemoval(
    tokens.filter((token) => token.status !== 'revoked').map((token) => revokeButtonId(token.id)),
    LIST_ID,
  );
  const { submit, pending } = useSubmit('revokeToken', revokeTokenAction, {
    success: () => `Token ${revoking?.name} revoked`,
    onSuccess: (_, [, tokenId]) => {
      revoked(revokeButtonId(tokenId));
      setOpen(false);
    },
  });

  if (tokens.length === 0) {
    return (
      <EmptyState
        icon={<KeyRound />}
        title="No service tokens yet"
        description="Create a token above for each machine that reads this project's secrets, so each can be revoked on its own."
      />
    );
  }

  function confirmRevoke() {
    if (revoking && !pending) void submit(projectId, revoking.id);
  }

  return (
    <>
      <TableContainer id={LIST_ID} aria-label="Service tokens">
        <Table className="min-w-[860px]" aria-label="Service tokens">
          <TableHeader>
            <TableRow className="hover:bg-transparent">
              <TableHead>Name</TableHead>
              <TableHead>Environment</TableHead>
              <TableHead>Scope</TableHead>
              <TableHead>Created</TableHead>
              <TableHead>Expires</TableHead>
              <TableHead>Last used</TableHead>
              <TableHead pinned className="text-right">
                <span className="sr-only">Actions</span>
              </TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {tokens.map((token) => (
              <TableRow key={token.id}>
                <TableCell>
                  <div className="flex flex-wrap items-center gap-2">
                    <span className="font-medium">{token.name}</span>
                    {token.status === 'revoked' ? <Badge variant="danger">Revoked</Badge> : null}
                    {token.status === 'expired' ? <Badge variant="warning">Expired</Badge> : null}
                  </div>
                  <div className="font-mono text-xs text-muted-foreground">{token.prefix}…</div>
                </TableCell>
                <TableCell>{environmentLabel(token.environment)}</TableCell>
                <TableCell>
                  <Badge variant={token.scope === 'read-write' ? 'accent' : 'neutral'}>{TOKEN_SCOPE_LABELS[token.scope]}</Badge>
                </TableCell>
                <TableCell className="text-muted-foreground">
                  <RelativeTime date={token.createdAt} />
                  {token.createdBy ? <div className="text-xs">by {token.createdBy}</div> : null}
                </TableCell>
                <TableCell className="text-muted-foreground">
                  {token.revokedAt ? (
                    <span>
                      Revoked <RelativeTime date={token.revokedAt} />
                    </span>
                  ) : token.expiresAt ? (
                    <time dateTime={token.expiresAt} title={formatFullDate(new Date(token.expiresAt))} suppressHydrationWarning>
                      {new Date(token.expiresAt).toLocaleDateString('en', { dateStyle: 'medium' })}
                    </time>
                  ) : (
                    'Never'
                  )}
                </TableCell>
                <TableCell className="text-muted-foreground">
                  {token.lastUsedAt ? (
                    <>
                      <RelativeTime date={token.lastUsedAt} />
                      {token.lastUsedIp ? <div className="font-mono text-xs">from {token.lastUsedIp}</div> : null}
                    </>
                  ) : (
                    'Never'
                  )}
                </TableCell>
                <TableCell pinned className="text-right">
                  {token.status === 'revoked' ? null : (
                    <Button
                      id={revokeButtonId(token.id)}
                      variant="ghost"
                      size="sm"
                      aria-label={`Revoke ${token.name}`}
                      onClick={() => {
                        setRevoking(token);
                        setOpen(true);
                      }}
                    >
                      Revoke
                    </Button>
                  )}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </TableContainer>

      <Dialog
        open={open}
        onOpenChange={(next) => {
          if (!next && pending) return;
          setOpen(next);
        }}
      >
        <DialogContent size="sm">
          <DialogHeader>
            <DialogTitle>Revoke token</DialogTitle>
            <DialogDescription>This takes effect immediately and can&apos;t be undone.</DialogDescription>
          </DialogHeader>
          <DialogBody>
            <p className="text-sm">
              Anything using <strong className="font-medium">{revoking?.name}</strong>{' '}
              <code className="rounded border bg-surface-muted px-1.5 py-0.5 font-mono text-[13px]">{revoking?.prefix}…</code> loses access to the{' '}
              {revoking ? environmentLabel(revoking.environment) : ''} environment on its next request.
            </p>
          </DialogBody>
          <DialogFooter>
            <DialogClose asChild>
              <Button variant="secondary" disabled={pending}>
                Cancel
              </Button>
            </DialogClose>
            <Button variant="danger" loading={pending} onClick={confirmRevoke}>
              Revoke token
            </Button>
          </DialogFooter>
        </DialogContent>
      </Dialog>
    </>
  );
}
