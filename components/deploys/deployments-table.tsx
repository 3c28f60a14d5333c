'use client';

import * as React from 'react';
import { useRouter } from 'next/navigation';
import { History, RotateCw } from 'lucide-react';
import { toast } from 'sonner';
import { ChangeSummaryCell } from '@/components/deploys/change-summary';
import { DeployStatusBadge } from '@/components/deploys/deploy-status-badge';
import { announce } from '@/components/deploys/redeploy-dialog';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Dialog, DialogBody, DialogClose, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from '@/components/ui/dialog';
import { RelativeTime } from '@/components/ui/relative-time';
import { Table, TableBody, TableCell, TableContainer, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import { useSubmit } from '@/components/use-submit';
import { retryDeploymentAction, rollBackDeploymentAction } from '@/lib/deploys/actions';
import type { DeploymentRow } from '@/lib/deploys/types';
import { environmentLabel } from '@/lib/projects/schemas';

/** While a deployment is queued or running the page refreshes this often; otherwise now and then, to show new ones. */
const ACTIVE_POLL_MS = 2_000;
const IDLE_POLL_MS = 15_000;

function formatDuration(ms: number | null): string {
  if (ms === null) return '—';
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

/** Refreshes the server-rendered page on an interval while the tab is visible. */
function usePolling(active: boolean) {
  const router = useRouter();
  React.useEffect(() => {
    const every = active ? ACTIVE_POLL_MS : IDLE_POLL_MS;
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') router.refresh();
    }, every);
    return () => clearInterval(timer);
  }, [active, router]);
}

export type DeploymentsTableProps = {
  projectId: string;
  rows: DeploymentRow[];
  /** OWNER/ADMIN: Retry and Roll back buttons (the server checks the role anyway). */
  canRetry: boolean;
};

/** Confirms `Roll back to #n`: a new deployment with #n's secrets; the working set stays as it is. */
function RollbackDialog({
  row,
  onOpenChange,
  onConfirm,
}: {
  row: DeploymentRow | null;
  onOpenChange: (open: boolean) => void;
  onConfirm: (row: DeploymentRow) => void;
}) {
  const envLabel = row ? environmentLabel(row.environment) : '';
  return (
    <Dialog open={row !== null} onOpenChange={onOpenChange}>
      <DialogContent size="sm">
        <DialogHeader>
          <DialogTitle>Roll back to #{row?.number}</DialogTitle>
          <DialogDescription>
            {envLabel}: a new deployment with exactly the secrets of #{row?.number}, delivered like any deployment.
          </DialogDescription>
        </DialogHeader>
        <DialogBody>
          <p className="text-sm text-muted-foreground">
            The secrets on the Secrets page are not changed: until the next redeploy, they differ from what is live.
          </p>
        </DialogBody>
        <DialogFooter>
          <DialogClose asChild>
            <Button variant="secondary">Cancel</Button>
          </DialogClose>
          <Button variant="primary" onClick={() => row && onConfirm(row)}>
            Roll back
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}

/** The Deploys page table: number, environment, status, who, when, duration, changes; Retry on failed ones. */
export function DeploymentsTable({ projectId, rows, canRetry }: DeploymentsTableProps) {
  const [retrying, setRetrying] = React.useState<ReadonlySet<string>>(new Set());
  const [rollingBack, setRollingBack] = React.useState<string | null>(null);
  const [confirmRollback, setConfirmRollback] = React.useState<DeploymentRow | null>(null);
  const active = retrying.size > 0 || rollingBack !== null || rows.some((row) => (row.status === 'QUEUED' || row.status === 'RUNNING') && !row.stalled);
  usePolling(active);
  const { submit } = useSubmit('retryDeployment', retryDeploymentAction, { onSuccess: (delivery) => announce(delivery, { retry: true }) });

  const retry = async (row: DeploymentRow) => {
    setRetrying((s) => new Set(s).add(row.id));
    toast.info(`Retrying deployment #${row.number}`);
    await submit(projectId, row.id);
    setRetrying((s) => {
      const next = new Set(s);
      next.delete(row.id);
      return next;
    });
  };

  const rollingBackTo = React.useRef<number | undefined>(undefined);
  const rollback = useSubmit('rollBackDeployment', rollBackDeploymentAction, {
    onSuccess: (delivery) => announce(delivery, { rollbackOf: rollingBackTo.current }),
  });
  const rollBack = async (row: DeploymentRow) => {
    setConfirmRollback(null);
    setRollingBack(row.id);
    rollingBackTo.current = row.number;
    toast.info(`Rolling back ${environmentLabel(row.environment)} to #${row.number}`);
    await rollback.submit(projectId, row.id);
    setRollingBack(null);
  };

  return (
    <>
      <RollbackDialog row={confirmRollback} onOpenChange={(open) => !open && setConfirmRollback(null)} onConfirm={rollBack} />
      <TableContainer aria-label="Deployments">
        <Table className="min-w-[900px]" aria-label="Deployments">
          <TableHeader>
            <TableRow className="hover:bg-transparent">
              <TableHead>Deployment</TableHead>
              <TableHead>Environment</TableHead>
              <TableHead>Status</TableHead>
              <TableHead>Triggered by</TableHead>
              <TableHead>When</TableHead>
              <TableHead>Duration</TableHead>
              <TableHead>Changes</TableHead>
              <TableHead pinned className="text-right">
                Actions
              </TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {rows.map((row) => {
              const isRetrying = retrying.has(row.id);
              const envLabel = environmentLabel(row.environment);
              return (
                <TableRow key={row.id} data-status={isRetrying ? 'RUNNING' : row.status}>
                  <TableCell className="font-mono font-medium whitespace-nowrap">
                    #{row.number}
                    {row.rollbackOf !== null ? <p className="font-sans text-xs font-normal text-muted-foreground">Rollback to #{row.rollbackOf}</p> : null}
                  </TableCell>
                  <TableCell>{envLabel}</TableCell>
                  <TableCell>
                    <div className="flex flex-wrap items-center gap-1.5">
                      <DeployStatusBadge status={isRetrying ? 'RUNNING' : row.status} stalled={!isRetrying && row.stalled} />
                      {row.live ? <Badge variant="accent">Live</Badge> : null}
                      {row.superseded && !isRetrying ? <Badge>Superseded</Badge> : null}
                    </div>
                    {row.error && !isRetrying && (row.status === 'FAILED' || row.stalled) ? (
                      <p className="mt-1 max-w-56 text-xs text-danger-muted-foreground">{row.error}</p>
                    ) : null}
                    {row.attempts > 1 ? <p className="mt-0.5 text-xs text-muted-foreground">{row.attempts} attempts</p> : null}
                  </TableCell>
                  <TableCell className="max-w-40 truncate">{row.triggeredBy}</TableCell>
                  <TableCell className="whitespace-nowrap">
                    <RelativeTime date={row.createdAt} />
                  </TableCell>
                  <TableCell className="whitespace-nowrap tabular-nums">{formatDuration(row.durationMs)}</TableCell>
                  <TableCell>
                    <ChangeSummaryCell changes={row.changes} />
                  </TableCell>
                  <TableCell pinned className="text-right">
                    {canRetry && row.retryable ? (
                      <Button size="sm" loading={isRetrying} onClick={() => retry(row)} aria-label={`Retry deployment #${row.number} of ${envLabel}`}>
                        {isRetrying ? null : <RotateCw aria-hidden="true" />}
                        Retry
                      </Button>
                    ) : null}
                    {canRetry && row.canRollBack ? (
                      <Button
                        size="sm"
                        loading={rollingBack === row.id}
                        disabled={rollingBack !== null}
                        onClick={() => setConfirmRollback(row)}
                        aria-label={`Roll back to #${row.number} of ${envLabel}`}
                      >
                        {rollingBack === row.id ? null : <History aria-hidden="true" />}
                        Roll back to #{row.number}
                      </Button>
                    ) : null}
                  </TableCell>
                </TableRow>
              );
            })}
          </TableBody>
        </Table>
      </TableContainer>
    </>
  );
}
