'use server';

import { revalidatePath } from 'next/cache';
import { runAction } from '@/lib/action-runner';
import { parseInput } from '@/lib/parse-input';
import type { ActionResult } from '@/lib/action-result';
import { redeploy, retryDeployment, rollBackDeployment, updateDeployHook } from '@/lib/deploys/mutations';
import { previewRedeploy } from '@/lib/deploys/queries';
import { deployHookSchema, MESSAGES, type DeployHookInput } from '@/lib/deploys/schemas';
import type { DeliveryResult, RedeployPreview } from '@/lib/deploys/types';

// Thin: parse, call the data layer (which checks the caller's role),
// revalidate, answer an ActionResult. Redeploy and retry await the delivery
// (at most the hook's 10 s timeout) so the toast that follows tells the truth.

/** The overview, Deploys, Settings and Secrets pages all show deploy state. */
const revalidateProject = () => revalidatePath('/projects/[slug]', 'layout');

export async function previewRedeployAction(projectId: string, environmentId: string): Promise<ActionResult<RedeployPreview>> {
  return runAction('Failed to load the changes. Please, try again.', () => previewRedeploy(projectId, environmentId));
}

export async function redeployAction(projectId: string, environmentId: string): Promise<ActionResult<DeliveryResult>> {
  return runAction(MESSAGES.redeployFailed, async () => {
    const result = await redeploy(projectId, environmentId);
    revalidateProject();
    return result;
  });
}

export async function retryDeploymentAction(projectId: string, deploymentId: string): Promise<ActionResult<DeliveryResult>> {
  return runAction(MESSAGES.retryFailed, async () => {
    const result = await retryDeployment(projectId, deploymentId);
    revalidateProject();
    return result;
  });
}

export async function rollBackDeploymentAction(projectId: string, deploymentId: string): Promise<ActionResult<DeliveryResult>> {
  return runAction(MESSAGES.rollbackFailed, async () => {
    const result = await rollBackDeployment(projectId, deploymentId);
    revalidateProject();
    return result;
  });
}

export async function updateDeployHookAction(projectId: string, environmentId: string, input: DeployHookInput): Promise<ActionResult> {
  return runAction(MESSAGES.hookSaveFailed, async () => {
    await updateDeployHook(projectId, environmentId, parseInput(deployHookSchema, input));
    revalidateProject();
  });
}
