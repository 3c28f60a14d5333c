// No `server-only` marker: the lean /api/v1 handler (server.ts) records token
// actions through this too (see lib/db.ts). It reads no request state.
import type { AuditAction } from '@/lib/audit/action-labels';
import { appendEvent, chainOf } from '@/lib/audit/chain';
import type { Tx } from '@/lib/db';

// Audit events are written inside the transaction of the change they record,
// each as the next link of its project's hash chain (lib/audit/chain.ts), and
// never updated or deleted. `details` holds names of changed fields, roles,
// versions: never a value. Action names and labels: lib/audit/actions.ts.

/**
 * Who acted: a signed-in user (userId set), a service token (tokenId set,
 * userId null, label like `token:ci-prod (kh_abc1234)`), or Keyhold itself
 * (both null, e.g. the in-process API). A session's `Actor` is a user actor.
 */
export type AuditActor = { userId: string | null; tokenId?: string | null; label: string; ip: string | null };

export type AuditInput = {
  projectId: string | null;
  action: AuditAction;
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
  targetType: event.targetType ?? null,
  targetId: event.targetId ?? null,
  targetLabel: event.targetLabel ?? null,
  environment: event.environment ?? null,
  details: JSON.stringify(event.details ?? {}),
  ip: actor.ip,
});

export async function recordAudit(tx: Tx, actor: AuditActor, event: AuditInput): Promise<void> {
  await appendEvent(tx, auditRow(actor, event));
}

/** Many events of one actor (a key rotation batch writes one per project), chains locked in one order so writers never deadlock. */
export async function recordAudits(tx: Tx, actor: AuditActor, events: AuditInput[]): Promise<void> {
  const ordered = [...events].sort((a, b) => (chainOf(a.projectId) < chainOf(b.projectId) ? -1 : 1));
  for (const event of ordered) await appendEvent(tx, auditRow(actor, event));
}
