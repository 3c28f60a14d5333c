// No `server-only` marker: the lean /api/v1 handler (server.ts) records token
// actions through this too (see lib/db.ts). It reads no request state.
import type { Tx } from '@/lib/db';

// Audit events are written inside the transaction of the change they record.
// `details` holds names of changed fields, roles, versions: never a value.

/**
 * Who acted: a signed-in user (userId set), a service token (tokenId set,
 * userId null, label like `token:ci-prod (kh_abc1234)`), or Keyhold itself
 * (both null, e.g. the in-process API). A session's `Actor` is a user actor.
 */
export type AuditActor = { userId: string | null; tokenId?: string | null; label: string; ip: string | null };

export type AuditInput = {
  projectId: string | null;
  action: string;
  targetType?: string;
  targetId?: string;
  targetLabel?: string;
  environment?: string;
  details?: Record<string, string | number | boolean | string[] | null>;
};

const auditRow = (actor: AuditActor, event: AuditInput) => ({
  projectId: event.projectId,
  actorId: actor.userId,
  actorTokenId: actor.tokenId ?? null,
  actorLabel: actor.label,
  action: event.action,
  targetType: event.targetType,
  targetId: event.targetId,
  targetLabel: event.targetLabel,
  environment: event.environment,
  details: JSON.stringify(event.details ?? {}),
  ip: actor.ip,
});

export async function recordAudit(tx: Tx, actor: AuditActor, event: AuditInput): Promise<void> {
  await tx.auditEvent.create({ data: auditRow(actor, event) });
}

/** Many events of one actor in one statement (a key rotation batch writes one per project). */
export async function recordAudits(tx: Tx, actor: AuditActor, events: AuditInput[]): Promise<void> {
  if (events.length > 0) await tx.auditEvent.createMany({ data: events.map((event) => auditRow(actor, event)) });
}
