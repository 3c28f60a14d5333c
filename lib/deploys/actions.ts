'use server';

import { runAction } from '@/lib/action-runner';
import type { ActionResult } from '@/lib/action-result';
import { redeploy, retryDeployment, rollBackDeployment, updateDeployHook } from '@/lib/deploys/mutations';
import { findSigningSecrets, previewRedeploy } from '@/lib/deploys/queries';
import { deployHookSchema, signingSearchSchema, type DeployHookInput } from '@/lib/deploys/schemas';
import type { DeliveryResult, RedeployPreview, SigningOptions } from '@/lib/deploys/types';

// Redeploy and retry await the delivery (at most the hook's 10 s timeout) so
// the toast that follows tells the truth.

export async function previewRedeployAction(projectId: string, environmentId: string): Promise<ActionResult<RedeployPreview>> {
  return runAction({ name: 'previewRedeploy', access: { projectId, verb: 'redeploy' } }, () => previewRedeploy(projectId, environmentId));
}

export async function redeployAction(projectId: string, environmentId: string): Promise<ActionResult<DeliveryResult>> {
  return runAction({ name: 'redeploy', access: { projectId, verb: 'redeploy' } }, () => redeploy(projectId, environmentId));
}

export async function retryDeploymentAction(projectId: string, deploymentId: string): Promise<ActionResult<DeliveryResult>> {
  return runAction({ name: 'retryDeployment', access: { projectId, verb: 'redeploy' } }, () => retryDeployment(projectId, deploymentId));
}

export async function rollBackDeploymentAction(projectId: string, deploymentId: string): Promise<ActionResult<DeliveryResult>> {
  return runAction({ name: 'rollBackDeployment', access: { projectId, verb: 'redeploy' } }, () => rollBackDeployment(projectId, deploymentId));
}

export async function updateDeployHookAction(projectId: string, environmentId: string, input: DeployHookInput): Promise<ActionResult> {
  return runAction({ name: 'updateDeployHook', access: { projectId, verb: 'manageDeployHooks' }, schema: deployHookSchema, input }, (values) =>
    updateDeployHook(projectId, environmentId, values),
  );
}

export async function findSigningSecretsAction(projectId: string, environmentId: string, search: string): Promise<ActionResult<SigningOptions>> {
  return runAction({ name: 'findSigningSecrets', access: { projectId, verb: 'manageDeployHooks' }, schema: signingSearchSchema, input: { search } }, (input) =>
    findSigningSecrets(projectId, environmentId, input.search),
  );
}
