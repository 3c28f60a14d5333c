import 'server-only';
import { recordAudits } from '@/lib/audit/mutations';
import { db } from '@/lib/db';
import { currentActor } from '@/lib/session';

/**
 * Ends every session of the signed-in user, on every device: their tokens carry
 * the old version. Audited in each project the user belongs to (its audit log
 * shows it), or without a project when they belong to none.
 */
export async function signOutEverywhere(): Promise<void> {
  const actor = await currentActor();
  await db.$transaction(async (tx) => {
    await tx.user.update({ where: { id: actor.userId }, data: { sessionVersion: { increment: 1 } } });
    const memberships = await tx.membership.findMany({ where: { userId: actor.userId }, select: { projectId: true } });
    const projects = memberships.length ? memberships.map((m) => m.projectId) : [null];
    await recordAudits(
      tx,
      actor,
      projects.map((projectId) => ({ projectId, action: 'user.signed_out_everywhere', targetType: 'user', targetId: actor.userId, targetLabel: actor.label })),
    );
  });
}
