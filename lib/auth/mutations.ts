import 'server-only';
import { recordAudit } from '@/lib/audit/mutations';
import { db } from '@/lib/db';
import { currentActor } from '@/lib/session';

/** Ends every session of the signed-in user, on every device: their tokens carry the old version. */
export async function signOutEverywhere(): Promise<void> {
  const actor = await currentActor();
  await db.$transaction(async (tx) => {
    await tx.user.update({ where: { id: actor.userId }, data: { sessionVersion: { increment: 1 } } });
    await recordAudit(tx, actor, { projectId: null, action: 'user.signed_out_everywhere', targetType: 'user', targetId: actor.userId });
  });
}
