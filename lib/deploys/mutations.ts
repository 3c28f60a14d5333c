import 'server-only';
import { recordAudit } from '@/lib/audit/mutations';
import { db, lockRow } from '@/lib/db';
import { authorizedRetryDeployment, authorizedStartRedeploy, authorizedStartRollback, type DeliveryOptions } from '@/lib/deploys/authorized';
import { hookUrlProblem } from '@/lib/deploys/hook-address';
import { hookOrigin, MESSAGES, type DeployHookSettings } from '@/lib/deploys/schemas';
import type { DeliveryResult } from '@/lib/deploys/types';
import { invalid, notFound } from '@/lib/errors';
import { requirePermission } from '@/lib/session';

// Redeploy, retry and deploy hook settings by a signed-in user: each function
// checks the caller's role, then runs the shared implementation in
// lib/deploys/authorized.ts (also used, with a service token as the actor, by /api/v1).

export type { DeliveryOptions } from '@/lib/deploys/authorized';

/** Snapshots the environment as a new deployment and delivers it (awaited: at most the hook's timeout). OWNER/ADMIN only. */
export async function redeploy(projectId: string, environmentId: string, options: DeliveryOptions = {}): Promise<DeliveryResult> {
  const actor = await requirePermission(projectId, 'redeploy');
  return (await authorizedStartRedeploy(actor, projectId, environmentId, options)).delivery;
}

/** Delivers a FAILED (or stalled) deployment again (see authorizedRetryDeployment). OWNER/ADMIN only. */
export async function retryDeployment(projectId: string, deploymentId: string, options: DeliveryOptions = {}): Promise<DeliveryResult> {
  const actor = await requirePermission(projectId, 'redeploy');
  return authorizedRetryDeployment(actor, projectId, deploymentId, options);
}

/** `Roll back to #n`: a new deployment with #n's secrets, delivered (see authorizedStartRollback). OWNER/ADMIN only. */
export async function rollBackDeployment(projectId: string, deploymentId: string, options: DeliveryOptions = {}): Promise<DeliveryResult> {
  const actor = await requirePermission(projectId, 'redeploy');
  return (await authorizedStartRollback(actor, projectId, deploymentId, options)).delivery;
}

/**
 * Sets (or with an empty URL removes) an environment's deploy hook and the
 * secret of that environment whose value signs notifications. A hook without a
 * signing secret is allowed (some receivers, like build-service deploy hooks,
 * trust a secret URL instead), and its notifications are sent unsigned.
 */
export async function updateDeployHook(projectId: string, environmentId: string, settings: DeployHookSettings): Promise<void> {
  const actor = await requirePermission(projectId, 'manageDeployHooks');
  const url = settings.url || null;
  // Without a URL there is nothing to sign.
  const signingSecretId = url ? settings.signingSecretId || null : null;
  // Checked again at delivery, against the address actually connected to (lib/deploys/hook-address.ts).
  const urlProblem = url ? await hookUrlProblem(url) : null;
  if (urlProblem) throw invalid(urlProblem, { url: urlProblem });
  await db.$transaction(async (tx) => {
    // Held before the signing secret is checked: a delete of that secret takes turns with this (lib/secrets/authorized.ts).
    await lockRow(tx, 'Environment', { id: environmentId, projectId });
    const environment = await tx.environment.findFirst({
      where: { id: environmentId, projectId },
      select: { name: true, deployHookUrl: true, hookSecretId: true },
    });
    if (!environment) throw notFound('Environment not found');
    const signing = signingSecretId ? await tx.secret.findFirst({ where: { id: signingSecretId, projectId, environmentId }, select: { key: true } }) : null;
    if (signingSecretId && !signing) {
      throw invalid(MESSAGES.signingSecretMissing, { signingSecretId: MESSAGES.signingSecretMissing });
    }
    if (environment.deployHookUrl === url && environment.hookSecretId === signingSecretId) return;
    const previous = environment.hookSecretId ? await tx.secret.findFirst({ where: { id: environment.hookSecretId, projectId }, select: { key: true } }) : null;
    await tx.environment.update({ where: { id: environmentId }, data: { deployHookUrl: url, hookSecretId: signingSecretId } });
    await recordAudit(tx, actor, {
      projectId,
      action: 'deploy_hook.updated',
      targetType: 'environment',
      targetId: environmentId,
      targetLabel: environment.name,
      environment: environment.name,
      // Where notifications go (scheme, host, port) and which key signs them: never the URL's path, which often carries a token.
      details: {
        url: !url ? 'removed' : !environment.deployHookUrl ? 'set' : environment.deployHookUrl === url ? 'unchanged' : 'changed',
        hook: url ? hookOrigin(url) : null,
        signingSecret: signing?.key ?? null,
        previousSigningSecret: previous?.key ?? null,
      },
    });
  });
}
