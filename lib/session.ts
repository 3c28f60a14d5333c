import 'server-only';
import { getServerSession } from 'next-auth';
import { cache } from 'react';
import { authOptions } from '@/lib/auth';
import { db } from '@/lib/db';
import { forbidden, unauthenticated } from '@/lib/errors';
import { clientIp } from '@/lib/request';
import { hasRole, isRole, type Role } from '@/lib/roles';

export type SessionUser = { id: string; name: string; email: string };

/** Who is acting, as recorded in audit events. */
export type Actor = { userId: string; label: string; ip: string | null };

/** The signed-in user, re-read from the database on every request (a deleted user's JWT is worthless). */
export const getSessionUser = cache(async (): Promise<SessionUser | null> => {
  const session = await getServerSession(authOptions());
  const id = session?.user?.id;
  if (!id) return null;
  return db.user.findUnique({ where: { id }, select: { id: true, name: true, email: true } });
});

export async function requireUser(): Promise<SessionUser> {
  const user = await getSessionUser();
  if (!user) throw unauthenticated();
  return user;
}

export async function currentActor(): Promise<Actor> {
  const user = await requireUser();
  return { userId: user.id, label: user.email, ip: await clientIp() };
}

/** The caller's role in a project, or null when they are not a member. */
export const projectRole = cache(async (projectId: string): Promise<Role | null> => {
  const user = await getSessionUser();
  if (!user) return null;
  const membership = await db.membership.findUnique({
    where: { userId_projectId: { userId: user.id, projectId } },
    select: { role: true },
  });
  return membership && isRole(membership.role) ? membership.role : null;
});

const DENIED: Record<Role, string> = {
  MEMBER: "You don't have access to this project.",
  ADMIN: "You don't have permission to manage secrets.",
  OWNER: 'Only project owners can do this.',
};

/**
 * Every data-layer function starts here: the caller must be signed in and
 * hold at least `needed` in the project. Returns the actor for audit events.
 */
export async function requireProjectRole(projectId: string, needed: Role, deniedMessage = DENIED[needed]): Promise<Actor> {
  const actor = await currentActor();
  const role = await projectRole(projectId);
  if (!role || !hasRole(role, needed)) throw forbidden(role ? deniedMessage : DENIED.MEMBER);
  return actor;
}
