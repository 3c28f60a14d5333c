'use server';

import { runAction } from '@/lib/action-runner';
import type { ActionResult } from '@/lib/action-result';
import { createProject, renameProject, setSecondFactorRequirement } from '@/lib/projects/mutations';
import { projectSchema, secondFactorPolicySchema, type ProjectInput, type SecondFactorPolicyInput } from '@/lib/projects/schemas';

export async function createProjectAction(input: ProjectInput): Promise<ActionResult<{ slug: string }>> {
  return runAction({ name: 'createProject', access: 'signed-in', schema: projectSchema, input }, createProject);
}

export async function renameProjectAction(projectId: string, input: ProjectInput): Promise<ActionResult> {
  return runAction({ name: 'renameProject', access: { projectId, verb: 'renameProject' }, schema: projectSchema, input }, (values) =>
    renameProject(projectId, values),
  );
}

export async function setSecondFactorRequirementAction(projectId: string, input: SecondFactorPolicyInput): Promise<ActionResult> {
  return runAction(
    { name: 'setSecondFactorRequirement', access: { projectId, verb: 'requireSecondFactor' }, schema: secondFactorPolicySchema, input },
    ({ required }) => setSecondFactorRequirement(projectId, required),
  );
}
