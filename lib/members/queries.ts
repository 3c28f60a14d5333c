import 'server-only';
import { db } from '@/lib/db';
import { hashLinkToken } from '@/lib/link-token';
import { isRole, type Role } from '@/lib/roles';
import { requirePermission } from '@/lib/session';

export type MemberRow = { id: string; userId: string; name: string; email: string; role: Role; joinedAt: string; secondFactor: boolean };
export type PendingInvite = { id: string; email: string; role: Role; expiresAt: string };

export async function listMembers(projectId: string): Promise<{ members: MemberRow[]; invites: PendingInvite[] }> {
  await requirePermission(projectId, 'manageMembers');
  const [memberships, invites] = await Promise.all([
    db.membership.findMany({
      where: { projectId },
      orderBy: { createdAt: 'asc' },
      select: { id: true, role: true, createdAt: true, user: { select: { id: true, name: true, email: true, totpEnabledAt: true } } },
    }),
    db.invite.findMany({
      where: { projectId, acceptedAt: null, expiresAt: { gt: new Date() } },
      orderBy: { createdAt: 'desc' },
      select: { id: true, email: true, role: true, expiresAt: true },
    }),
  ]);
  return {
    members: memberships
      .filter((m) => isRole(m.role))
      .map((m) => ({
        id: m.id,
        userId: m.user.id,
        name: m.user.name,
        email: m.user.email,
        role: m.role as Role,
        joinedAt: m.createdAt.toISOString(),
        secondFactor: m.user.totpEnabledAt !== null,
      })),
    invites: invites.map((i) => ({ id: i.id, email: i.email, role: i.role as Role, expiresAt: i.expiresAt.toISOString() })),
  };
}

export type InviteDetails = { projectName: string; email: string; role: Role; accountExists: boolean };

/** What an invite link offers, or null when it is unknown, used or expired. Public: the token is the credential. */
export async function findInvite(token: string): Promise<InviteDetails | null> {
  const invite = await db.invite.findUnique({
    where: { tokenHash: hashLinkToken(token) },
    select: { email: true, role: true, acceptedAt: true, expiresAt: true, project: { select: { name: true } } },
  });
  if (!invite || invite.acceptedAt || invite.expiresAt <= new Date() || !isRole(invite.role)) return null;
  const account = await db.user.findUnique({ where: { email: invite.email }, select: { id: true } });
  return { projectName: invite.project.name, email: invite.email, role: invite.role, accountExists: !!account };
}
