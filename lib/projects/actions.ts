'use server';

import { revalidatePath } from 'next/cache';
import { runAction } from '@/lib/action-runner';
import { parseInput } from '@/lib/parse-input';
import type { ActionResult } from '@/lib/action-result';
import { createProject, renameProject, setSecondFactorRequirement } from '@/lib/projects/mutations';
import { projectSchema, secondFactorPolicySchema, type ProjectInput, type SecondFactorPolicyInput } from '@/lib/projects/schemas';

export async function createProjectAction(input: ProjectInput): Promise<ActionResult<{ slug: string }>> {
  return runAction('Failed to create project. Please, try again.', async () => {
    const result = await createProject(parseInput(projectSchema, input));
    revalidatePath('/projects');
    return result;
  });
}

export async function renameProjectAction(projectId: string, input: ProjectInput): Promise<ActionResult> {
  return runAction('Failed to rename project. Please, try again.', async () => {
    await renameProject(projectId, parseInput(projectSchema, input));
    revalidatePath('/projects', 'layout');
  });
}

export async function setSecondFactorRequirementAction(projectId: string, input: SecondFactorPolicyInput): Promise<ActionResult> {
  return runAction('Failed to save the second-factor setting. Please, try again.', async () => {
    await setSecondFactorRequirement(projectId, parseInput(secondFactorPolicySchema, input).required);
    revalidatePath('/projects', 'layout');
  });
}
