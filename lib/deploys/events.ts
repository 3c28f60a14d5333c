// No `server-only` marker and no imports: server.ts's lean /api/v1 handler
// imports this outside Next's bundler. The registry lives on globalThis, so
// Next's bundled copy of this module and server.ts's copy share one.

export type DeploymentSucceeded = {
  projectId: string;
  environmentId: string;
  deploymentId: string;
  number: number;
};

export type DeploymentListener = (event: DeploymentSucceeded) => void;

const KEY = Symbol.for('keyhold.deploys.succeededListeners');
const registry = globalThis as unknown as Record<symbol, Set<DeploymentListener> | undefined>;
const listeners = (): Set<DeploymentListener> => (registry[KEY] ??= new Set());

/**
 * Calls `listener` after each deployment succeeds (e.g. to drop a cached
 * snapshot: the environment's live deployment may have changed). Listeners run
 * synchronously after the change is committed; a throwing listener is logged
 * and does not affect the others. Returns an unsubscribe function.
 */
export function onDeploymentSucceeded(listener: DeploymentListener): () => void {
  listeners().add(listener);
  return () => void listeners().delete(listener);
}

export function emitDeploymentSucceeded(event: DeploymentSucceeded): void {
  for (const listener of [...listeners()]) {
    try {
      listener(event);
    } catch (error) {
      console.error(`[keyhold] a deployment listener failed (${error instanceof Error ? error.name : typeof error})`);
    }
  }
}
