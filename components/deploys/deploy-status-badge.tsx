import { CircleCheck, CircleX, Clock, LoaderCircle, TriangleAlert } from 'lucide-react';
import { Badge, type BadgeVariant } from '@/components/ui/badge';
import { DEPLOY_STATUS_LABELS, type DeployStatus } from '@/lib/deploys/schemas';

const LOOK: Record<DeployStatus, { variant: BadgeVariant; Icon: typeof CircleCheck; spin?: boolean }> = {
  QUEUED: { variant: 'neutral', Icon: Clock },
  RUNNING: { variant: 'accent', Icon: LoaderCircle, spin: true },
  SUCCEEDED: { variant: 'success', Icon: CircleCheck },
  FAILED: { variant: 'danger', Icon: CircleX },
};

/** A deployment's status as a badge; a stalled QUEUED/RUNNING one reads "Interrupted". Server-compatible. */
export function DeployStatusBadge({ status, stalled = false }: { status: DeployStatus; stalled?: boolean }) {
  if (stalled) {
    return (
      <Badge variant="warning">
        <TriangleAlert aria-hidden="true" />
        Interrupted
      </Badge>
    );
  }
  const { variant, Icon, spin } = LOOK[status];
  return (
    <Badge variant={variant}>
      <Icon aria-hidden="true" className={spin ? 'animate-spin motion-reduce:animate-none' : undefined} />
      {DEPLOY_STATUS_LABELS[status]}
    </Badge>
  );
}
