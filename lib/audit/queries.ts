import 'server-only';
import { chainOf } from '@/lib/audit/chain';
import { lastVerification, verifyChain, type ChainProblem } from '@/lib/audit/verify';
import { db } from '@/lib/db';
import { notFound } from '@/lib/errors';
import { requireProjectRole } from '@/lib/session';

export const AUDIT_DENIED = 'Only project owners and admins can see the audit log.';

/** What the audit page shows about the project's chain (ISO times: it crosses to the browser). */
export type ChainStatus = {
  events: number;
  lastVerified: { at: string; ok: boolean; checked: number; firstBad: ChainProblem | null } | null;
};

const toStatus = (events: number, v: Awaited<ReturnType<typeof lastVerification>>): ChainStatus => ({
  events,
  lastVerified: v ? { at: v.verifiedAt.toISOString(), ok: v.ok, checked: v.checked, firstBad: v.firstBad ?? null } : null,
});

async function projectIdOf(slug: string): Promise<string> {
  const project = await db.project.findUnique({ where: { slug }, select: { id: true } });
  // Same answer as for a project the caller is not a member of.
  if (!project) throw notFound("You don't have access to this project.");
  return project.id;
}

/** The chain's length and its last verification. OWNER/ADMIN. */
export async function auditChainStatus(projectId: string): Promise<ChainStatus> {
  await requireProjectRole(projectId, 'ADMIN', AUDIT_DENIED);
  const head = await db.auditChain.findUnique({ where: { id: chainOf(projectId) }, select: { seq: true } });
  return toStatus(Math.max(head?.seq ?? 0, 0), await lastVerification(chainOf(projectId)));
}

/** Recomputes the project's chain now and stores the result. OWNER/ADMIN. */
export async function verifyProjectAuditChain(slug: string): Promise<ChainStatus> {
  const projectId = await projectIdOf(slug);
  await requireProjectRole(projectId, 'ADMIN', AUDIT_DENIED);
  const result = await verifyChain(chainOf(projectId));
  const head = await db.auditChain.findUniqueOrThrow({ where: { id: chainOf(projectId) }, select: { seq: true } });
  return toStatus(head.seq, result);
}
