// The in-process TypeScript API for Keyhold's own server code (server
// components, route handlers, the deploy hook sender), bound to one project
// environment. The same verbs and types as the HTTP client (lib/api/types.ts),
// the same errors (KeyholdError with the HTTP API's codes).
//
//   const secrets = keyhold({ project: 'payments', environment: 'production' });
//   const stripeKey = await secrets.getSecret('STRIPE_API_KEY');
//
// Reads serve the environment's latest successful deployment through the
// per-deployment cache (lib/deploys/live.ts): a warm getSecret is a few map
// lookups, no database read and no decryption; reads are counted in memory and
// audited once a minute (lib/audit/reads.ts). Writes change the working set
// (audited as `label`, default `keyhold:server`) and take effect at the next
// deployment.
//
// No `server-only` marker (server.ts may use it; see lib/db.ts), but it is
// server code: it reads the database and holds decrypted values. There is NO
// role check here: this is Keyhold's own code acting, so never call it with a
// project or environment a user chose without checking their role first.
import type { AuditActor } from '@/lib/audit/mutations';
import { API_MESSAGES, ApiError, knownApiError } from '@/lib/api/errors';
import { machineCreateSecret, machineDeleteSecret, machineListSecretInfo, machineUpdateSecret, type MachineScope } from '@/lib/api/operations';
import { noteServerRead, serverReaderId } from '@/lib/audit/reads';
import type { KeyholdSecrets, SecretMap } from '@/lib/api/types';
import { db } from '@/lib/db';
import { liveFor, readDeployment, type DeploymentEntry } from '@/lib/deploys/live';

export { KeyholdError } from '@/lib/api/errors';

export type KeyholdTarget =
  | { projectId: string; environmentId: string }
  /** By project slug and environment name (resolved once, on first use). */
  | { project: string; environment: string };

export type KeyholdOptions = {
  /** Who writes show as in audit events (default `keyhold:server`). */
  label?: string;
};

/** A client bound to one environment. Cheap to create; keep one per environment. */
export function keyhold(target: KeyholdTarget, options: KeyholdOptions = {}): KeyholdSecrets {
  let scope: MachineScope | Promise<MachineScope> = 'projectId' in target ? { ...target } : resolve(target);
  let environmentName: string | undefined;
  const actor: AuditActor = { userId: null, tokenId: null, label: options.label ?? 'keyhold:server', ip: null };
  /** Reads are audited like a token's, batched (lib/audit/reads.ts); the scope is resolved once a deployment was found. */
  let readerId: string | undefined;
  const noteRead = (entry: DeploymentEntry, key: string | null): void => {
    if (scope instanceof Promise) {
      void scope.then((s) => noteServerRead(serverReaderId(actor.label, s.environmentId), actor.label, s, entry.deployment.id, key));
      return;
    }
    readerId ??= serverReaderId(actor.label, scope.environmentId);
    noteServerRead(readerId, actor.label, scope, entry.deployment.id, key);
  };

  const bound = (): MachineScope | Promise<MachineScope> => scope;

  async function slowDeployed(): Promise<DeploymentEntry> {
    const s = await bound();
    const live = await liveFor(s.environmentId);
    if (!live) {
      environmentName ??= (await db.environment.findUnique({ where: { id: s.environmentId }, select: { name: true } }))?.name ?? 'this';
      throw new ApiError('not_deployed', API_MESSAGES.notDeployed(environmentName));
    }
    return readDeployment(live);
  }

  /** Synchronous when everything is cached (the warm path), else a promise. */
  function deployed(): DeploymentEntry | Promise<DeploymentEntry> {
    if (!(scope instanceof Promise)) {
      const live = liveFor(scope.environmentId);
      if (live && !(live instanceof Promise)) return readDeployment(live);
    }
    return slowDeployed();
  }

  if (scope instanceof Promise) {
    // Resolve once; keep the plain object afterwards so warm reads need no await on it.
    scope.then(
      (resolved) => (scope = resolved),
      () => undefined,
    );
  }

  return {
    async getSecret(name: string): Promise<string> {
      const maybe = deployed();
      const entry = maybe instanceof Promise ? await maybe.catch(rejectAsApi) : maybe;
      const value = entry.secrets.get(name);
      if (value === undefined) throw new ApiError('secret_not_found', API_MESSAGES.secretNameNotFound);
      noteRead(entry, name);
      return value;
    },
    async getSecrets(): Promise<SecretMap> {
      const maybe = deployed();
      const entry = maybe instanceof Promise ? await maybe.catch(rejectAsApi) : maybe;
      noteRead(entry, null);
      return Object.fromEntries(entry.secrets);
    },
    async createSecret(input) {
      return machineCreateSecret(actor, await bound(), input).catch(rejectAsApi);
    },
    async listSecretInfo() {
      return machineListSecretInfo(await bound());
    },
    async updateSecret(id, patch) {
      return machineUpdateSecret(actor, await bound(), id, patch).catch(rejectAsApi);
    },
    async deleteSecret(id) {
      await machineDeleteSecret(actor, await bound(), id);
    },
  };
}

/** Rejects the way the HTTP API answers: e.g. a blob that fails to decrypt becomes `integrity_error`. */
function rejectAsApi(error: unknown): never {
  throw knownApiError(error) ?? error;
}

async function resolve(target: { project: string; environment: string }): Promise<MachineScope> {
  const environment = await db.environment.findFirst({
    where: { name: target.environment, project: { slug: target.project } },
    select: { id: true, projectId: true },
  });
  if (!environment) throw new Error(`Keyhold has no environment ${target.environment} in a project ${target.project}`);
  return { projectId: environment.projectId, environmentId: environment.id };
}
