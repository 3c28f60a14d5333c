import 'server-only';
import type { Tx } from '@/lib/db';
import type { Actor } from '@/lib/session';

// Audit events are written inside the transaction of the change they record.
// `details` holds names of changed fields, roles, versions: never a value.

export type AuditInput = {
  projectId: string | null;
  action: string;
  targetType?: string;
  targetId?: string;
  targetLabel?: string;
  environment?: string;
  details?: Record<string, string | number | boolean | string[] | null>;
};

export async function recordAudit(tx: Tx, actor: Actor, event: AuditInput): Promise<void> {
  await tx.auditEvent.create({
    data: {
      projectId: event.projectId,
      actorId: actor.userId,
      actorLabel: actor.label,
      action: event.action,
      targetType: event.targetType,
      targetId: event.targetId,
      targetLabel: event.targetLabel,
      environment: event.environment,
      details: JSON.stringify(event.details ?? {}),
      ip: actor.ip,
    },
  });
}
