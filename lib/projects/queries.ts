import 'server-only';
import { notFound } from 'next/navigation';
import { cache } from 'react';
import { db } from '@/lib/db';
import { isRole, type Role } from '@/lib/roles';
import { getSessionUser, rememberMembership, requirePermission, requireUser } from '@/lib/session';

export type ProjectSummary = { id: string; name: string; slug: string; role: Role };
type EnvironmentRef = { id: string; name: string };
export type ProjectContext = ProjectSummary & {
  environments: EnvironmentRef[];
  /** The project requires a second factor and the caller has none: they see only the setup notice. */
  secondFactorMissing: boolean;
};

export async function listMyProjects(): Promise<ProjectSummary[]> {
  const user = await requireUser();
  const memberships = await db.membership.findMany({
    where: { userId: user.id },
    select: { role: true, project: { select: { id: true, name: true, slug: true } } },
    orderBy: { project: { name: 'asc' } },
  });
  return memberships.filter((m) => isRole(m.role)).map((m) => ({ ...m.project, role: m.role as Role }));
}

/** The project behind a URL slug, if the signed-in user is a member; null otherwise (shown as 404). */
export const findProjectBySlug = cache(async (slug: string): Promise<ProjectContext | null> => {
  const user = await getSessionUser();
  if (!user) return null;
  const project = await db.project.findUnique({
    where: { slug },
    select: {
      id: true,
      name: true,
      slug: true,
      requireSecondFactor: true,
      memberships: { where: { userId: user.id }, select: { role: true } },
      environments: { select: { id: true, name: true }, orderBy: { position: 'asc' } },
    },
  });
  const membership = project?.memberships[0];
  const role = membership?.role;
  if (!project || !membership || !isRole(role)) return null;
  const secondFactorMissing = project.requireSecondFactor && !user.hasSecondFactor;
  rememberMembership(project.id, { role, secondFactorMissing });
  return {
    id: project.id,
    name: project.name,
    slug: project.slug,
    role,
    environments: project.environments,
    secondFactorMissing,
  };
});

/**
 * For a project's pages: not a member is a 404; null while the caller lacks a
 * second factor the project requires (the project layout shows the setup
 * notice instead, and Next renders the page beside it: it must not ask the
 * data layer, which would refuse).
 */
export async function projectForPage(slug: string): Promise<ProjectContext | null> {
  const project = await findProjectBySlug(slug);
  if (!project) notFound();
  return project.secondFactorMissing ? null : project;
}

export type SecondFactorPolicy = { required: boolean; ownerHasSecondFactor: boolean; membersWithout: number };

/** The project's second-factor requirement, for its owners (General settings). */
export async function secondFactorPolicy(projectId: string): Promise<SecondFactorPolicy> {
  const actor = await requirePermission(projectId, 'requireSecondFactor');
  const [project, owner, membersWithout] = await Promise.all([
    db.project.findUniqueOrThrow({ where: { id: projectId }, select: { requireSecondFactor: true } }),
    db.user.findUniqueOrThrow({ where: { id: actor.userId }, select: { totpEnabledAt: true } }),
    db.membership.count({ where: { projectId, user: { totpEnabledAt: null } } }),
  ]);
  return { required: project.requireSecondFactor, ownerHasSecondFactor: owner.totpEnabledAt !== null, membersWithout };
}
