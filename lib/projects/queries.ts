import 'server-only';
import { cache } from 'react';
import { db } from '@/lib/db';
import { isRole, type Role } from '@/lib/roles';
import { getSessionUser, requireUser } from '@/lib/session';

export type ProjectSummary = { id: string; name: string; slug: string; role: Role };
export type EnvironmentRef = { id: string; name: string };
export type ProjectContext = ProjectSummary & { environments: EnvironmentRef[] };

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
      memberships: { where: { userId: user.id }, select: { role: true } },
      environments: { select: { id: true, name: true }, orderBy: { position: 'asc' } },
    },
  });
  const role = project?.memberships[0]?.role;
  if (!project || !isRole(role)) return null;
  return { id: project.id, name: project.name, slug: project.slug, role, environments: project.environments };
});
