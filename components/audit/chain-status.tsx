'use client';

import * as React from 'react';
import { toast } from 'sonner';
import { Banner } from '@/components/ui/banner';
import { Button } from '@/components/ui/button';
import { RelativeTime } from '@/components/ui/relative-time';
import { useSubmit } from '@/components/use-submit';
import { verifyAuditChainAction } from '@/lib/audit/actions';
import type { ChainStatus } from '@/lib/audit/queries';

const events = (n: number) => `${n.toLocaleString('en-US')} ${n === 1 ? 'event' : 'events'}`;

/**
 * When the project's audit chain was last verified and what was found, with
 * `Verify now` for those allowed to run it (the audit page mounts this).
 */
export function ChainStatusPanel({ slug, status: initial, canVerify }: { slug: string; status: ChainStatus; canVerify: boolean }) {
  const [status, setStatus] = React.useState(initial);
  const { submit, pending } = useSubmit('verifyAuditChain', verifyAuditChainAction, {
    onSuccess: (checked) => {
      setStatus(checked);
      if (checked.lastVerified?.ok) toast.success(`Audit chain verified: ${events(checked.lastVerified.checked)} intact.`);
      else toast.error('The audit chain failed verification.');
    },
  });
  const verify = () => void submit(slug);

  const last = status.lastVerified;
  const action = canVerify ? (
    <Button size="sm" onClick={verify} loading={pending}>
      Verify now
    </Button>
  ) : null;
  if (!last) {
    return (
      <Banner aria-live="polite" action={action} data-testid="chain-status">
        Audit chain: {events(status.events)}, not verified yet.
      </Banner>
    );
  }
  return (
    <Banner variant={last.ok ? 'success' : 'danger'} aria-live="polite" action={action} data-testid="chain-status">
      <span>
        Last verified <RelativeTime date={last.at} />:{' '}
        {last.ok
          ? `${events(last.checked)} intact, none altered, deleted or reordered.`
          : `failed after ${events(last.checked)}. ${last.firstBad?.message ?? ''}`}
      </span>
    </Banner>
  );
}
