// A real Keyhold API for the CLI and client tests (tests/cli*.ts,
// tests/client*.ts) and bench/cli.mjs: the lean /api/v1 handler that
// server.ts mounts, served by node:http on 127.0.0.1 (port 0), over a real
// migrated SQLite database. Rows are seeded the way the app stores them: a
// project with its wrapped data key, a SUCCEEDED deployment whose snapshot is
// sealed by sealSnapshot, and service tokens stored as SHA-256 hashes.
//
// Needs DATABASE_URL, KEYHOLD_MASTER_KEY and NEXTAUTH_SECRET set before the
// first database access (tests/support/setup-env.ts does it under vitest;
// bench/cli-server.ts does it for the benchmark).
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { db } from '@/lib/db';
import { emitDeploymentSucceeded } from '@/lib/deploys/events';
import { sealSnapshot } from '@/lib/deploys/snapshot';
import { createProjectKey, projectKeys } from '@/lib/projects/keys';

export type SeededProject = {
  projectId: string;
  environments: { development: string; staging: string; production: string };
};

/** A project with its data key and the three default environments (no users needed: tokens act alone). */
export async function seedProject(name = `CLI test ${randomUUID().slice(0, 8)}`): Promise<SeededProject> {
  const slug = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
  const projectId = await db.$transaction(async (tx) => {
    const project = await tx.project.create({ data: { name, slug } });
    await createProjectKey(tx, project.id);
    await tx.environment.createMany({
      data: ['development', 'staging', 'production'].map((env, position) => ({ projectId: project.id, name: env, position })),
    });
    return project.id;
  });
  const rows = await db.environment.findMany({ where: { projectId }, select: { id: true, name: true } });
  const byName = Object.fromEntries(rows.map((r) => [r.name, r.id])) as SeededProject['environments'];
  return { projectId, environments: byName };
}

/**
 * Makes `secrets` the environment's live deployment: the next number,
 * SUCCEEDED, its snapshot sealed as redeploy seals it. Announced like a real
 * deployment, so the API's caches drop the previous one.
 */
export async function deploySecrets(
  projectId: string,
  environmentId: string,
  secrets: Iterable<readonly [string, string]>,
): Promise<{ id: string; number: number }> {
  const map = new Map(secrets);
  const id = randomUUID();
  const keys = await projectKeys(projectId);
  const last = await db.deployment.findFirst({ where: { environmentId }, orderBy: { number: 'desc' }, select: { number: true } });
  const number = (last?.number ?? 0) + 1;
  const now = new Date();
  await db.deployment.create({
    data: {
      id,
      projectId,
      environmentId,
      number,
      status: 'SUCCEEDED',
      triggeredBy: 'cli test',
      snapshot: sealSnapshot(keys, id, map),
      secretCount: map.size,
      attempts: 1,
      startedAt: now,
      finishedAt: now,
    },
  });
  emitDeploymentSucceeded({ projectId, environmentId, deploymentId: id, number });
  return { id, number };
}

export type TokenOptions = {
  scope?: 'read' | 'read-write';
  expiresAt?: Date | null;
  revokedAt?: Date | null;
  name?: string;
};

/** A service token as Settings → Tokens makes it: `kh_` + 43 base64url characters, stored only as its SHA-256. */
export async function makeToken(projectId: string, environmentId: string, options: TokenOptions = {}): Promise<string> {
  const token = `kh_${randomBytes(32).toString('base64url')}`;
  await db.serviceToken.create({
    data: {
      projectId,
      environmentId,
      name: options.name ?? `cli-test-${token.slice(3, 9)}`,
      scope: options.scope ?? 'read',
      prefix: token.slice(0, 10),
      tokenHash: createHash('sha256').update(token).digest('hex'),
      expiresAt: options.expiresAt ?? null,
      revokedAt: options.revokedAt ?? null,
    },
  });
  return token;
}

// The handler exactly as server.ts mounts it, on 127.0.0.1 port 0 (tests/support/api-server.ts).
export { startApiServer, type ApiServer } from './api-server';
