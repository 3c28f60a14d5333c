import 'server-only';
import { db } from '@/lib/db';
import { hashLinkToken } from '@/lib/link-token';
import { requireUser } from '@/lib/session';

export type AccountSettings = {
  name: string;
  email: string;
  /** Null while the second factor is off. */
  secondFactor: { enabledAt: string; recoveryCodesLeft: number } | null;
};

export async function accountSettings(): Promise<AccountSettings> {
  const user = await requireUser();
  // Counted apart: a relation `_count` would group every user's recovery codes before joining.
  const [row, recoveryCodesLeft] = await Promise.all([
    db.user.findUniqueOrThrow({ where: { id: user.id }, select: { totpEnabledAt: true } }),
    db.recoveryCode.count({ where: { userId: user.id, usedAt: null } }),
  ]);
  return {
    name: user.name,
    email: user.email,
    secondFactor: row.totpEnabledAt ? { enabledAt: row.totpEnabledAt.toISOString(), recoveryCodesLeft } : null,
  };
}

export type UsableReset = { id: string; projectId: string; userId: string; email: string };

/**
 * The reset link behind a token while it can be used: not used, not expired,
 * and the person still a member of the project whose owner made it. Public:
 * the token is the credential.
 */
/** The reset-link rule: `ownerId` owns every project `userId` belongs to (checked when a link is made and when it is used). */
export async function ownsEveryProjectOf(ownerId: string, userId: string): Promise<boolean> {
  const notOwned = await db.membership.count({
    where: { userId, NOT: { project: { memberships: { some: { userId: ownerId, role: 'OWNER' } } } } },
  });
  return notOwned === 0;
}

export async function findPasswordReset(token: string): Promise<UsableReset | null> {
  const link = await db.passwordReset.findUnique({
    where: { tokenHash: hashLinkToken(token) },
    select: { id: true, projectId: true, userId: true, createdById: true, usedAt: true, expiresAt: true, user: { select: { email: true } } },
  });
  if (!link || link.usedAt || link.expiresAt <= new Date() || !link.createdById) return null;
  const member = await db.membership.findUnique({ where: { userId_projectId: { userId: link.userId, projectId: link.projectId } }, select: { id: true } });
  if (!member) return null;
  // The rule the link was made under must still hold when it is used: its
  // maker still owns every project the person belongs to (a person who joined
  // another project since, or a maker who was demoted, voids the link).
  return (await ownsEveryProjectOf(link.createdById, link.userId))
    ? { id: link.id, projectId: link.projectId, userId: link.userId, email: link.user.email }
    : null;
}
