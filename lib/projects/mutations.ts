import 'server-only';
import { recordAudit } from '@/lib/audit/mutations';
import { db, isUniqueViolation } from '@/lib/db';
import { createProjectKey } from '@/lib/projects/keys';
import { invalid } from '@/lib/errors';
import { DEFAULT_ENVIRONMENTS, OWN_SECOND_FACTOR_FIRST, slugify, type ProjectInput } from '@/lib/projects/schemas';
import { currentActor, requirePermission } from '@/lib/session';

/** The first of `base-2`, `base-3`, … that no project has (`base` itself is taken). */
async function numberedSlug(base: string): Promise<string> {
  // A prefix search: it cannot use the slug index on SQLite, so only when `base` is taken.
  const taken = new Set((await db.project.findMany({ where: { slug: { startsWith: base } }, select: { slug: true } })).map((p) => p.slug));
  for (let n = 2; ; n++) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
}

/**
 * Creates a project with its data key and default environments; the creator
 * becomes its OWNER. Its slug is the name's (`acme-inc`), numbered when that
 * is taken (`acme-inc-2`), also when another project of the same name is
 * created at the same moment.
 */
export async function createProject(input: ProjectInput): Promise<{ slug: string }> {
  const actor = await currentActor();
  const base = slugify(input.name);
  for (let slug = base; ; slug = await numberedSlug(base)) {
    try {
      await db.$transaction(async (tx) => {
        const project = await tx.project.create({ data: { name: input.name, slug } });
        await createProjectKey(tx, project.id);
        await tx.membership.create({ data: { projectId: project.id, userId: actor.userId, role: 'OWNER' } });
        await tx.environment.createMany({
          data: DEFAULT_ENVIRONMENTS.map((name, position) => ({ projectId: project.id, name, position })),
        });
        await recordAudit(tx, actor, {
          projectId: project.id,
          action: 'project.created',
          targetType: 'project',
          targetId: project.id,
          targetLabel: input.name,
        });
      });
      return { slug };
    } catch (error) {
      // Taken (before or meanwhile): try the next free number. Any other failure is not ours to retry.
      if (!isUniqueViolation(error) || !(await db.project.findUnique({ where: { slug }, select: { id: true } }))) throw error;
    }
  }
}

export async function renameProject(projectId: string, input: ProjectInput): Promise<void> {
  const actor = await requirePermission(projectId, 'renameProject');
  await db.$transaction(async (tx) => {
    const before = await tx.project.findUniqueOrThrow({ where: { id: projectId }, select: { name: true } });
    await tx.project.update({ where: { id: projectId }, data: { name: input.name } });
    await recordAudit(tx, actor, {
      projectId,
      action: 'project.renamed',
      targetType: 'project',
      targetId: projectId,
      targetLabel: input.name,
      details: { from: before.name, to: input.name },
    });
  });
}

/**
 * Requires (or stops requiring) a second factor of every member. Only an
 * owner who has one can turn it on, so they cannot lock themselves out.
 */
export async function setSecondFactorRequirement(projectId: string, required: boolean): Promise<void> {
  const actor = await requirePermission(projectId, 'requireSecondFactor');
  await db.$transaction(async (tx) => {
    if (required) {
      const owner = await tx.user.findUniqueOrThrow({ where: { id: actor.userId }, select: { totpEnabledAt: true } });
      if (!owner.totpEnabledAt) throw invalid(OWN_SECOND_FACTOR_FIRST, { required: OWN_SECOND_FACTOR_FIRST });
    }
    const changed = await tx.project.updateMany({ where: { id: projectId, requireSecondFactor: !required }, data: { requireSecondFactor: required } });
    if (changed.count === 0) return;
    await recordAudit(tx, actor, {
      projectId,
      action: 'project.second_factor_required',
      targetType: 'project',
      targetId: projectId,
      details: { required },
    });
  });
}
