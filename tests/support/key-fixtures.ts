// Projects full of encrypted rows for the key rotation and backup tests (and
// bench/keys.mjs): secrets with several versions written in bulk exactly as
// the data layer encrypts them, deployments sealed as redeploy seals them, and
// readers that decrypt everything back. No vitest import: the bench uses it too.
import path from 'node:path';
import { randomBytes, randomUUID } from 'node:crypto';
import { decryptValue, encryptValue } from '@/lib/crypto/envelope';
import { db } from '@/lib/db';
import type { Prisma } from '@/lib/generated/prisma/client';
import { openSnapshot } from '@/lib/deploys/snapshot';
import { projectKeys } from '@/lib/projects/keys';
import { deploySecrets, seedProject, type SeededProject } from './cli-server';
import { runNode, type CliOptions, type CliResult } from './cli-run';

export const ROOT = path.resolve(__dirname, '../..');

/**
 * `count` secrets in an environment, each with `versions` versions (values
 * `<key>#<n>#<random>`), created in bulk under the project's current data key.
 * Returns the current value of each key.
 */
async function addSecrets(projectId: string, environmentId: string, count: number, versions = 1, prefix = 'KEY'): Promise<Map<string, string>> {
  const keys = await projectKeys(projectId);
  const current = new Map<string, string>();
  const secrets: Prisma.SecretCreateManyInput[] = [];
  const rows: Prisma.SecretVersionCreateManyInput[] = [];
  for (let i = 0; i < count; i++) {
    const id = randomUUID();
    const key = `${prefix}_${i}`;
    secrets.push({ id, projectId, environmentId, key, keyFolded: key.toLowerCase(), type: 'OTHER', currentVersion: versions, revision: versions });
    for (let v = 1; v <= versions; v++) {
      const value = `${key}#${v}#${randomBytes(6).toString('hex')}`;
      rows.push({ secretId: id, version: v, blob: encryptValue(keys.current.key, keys.current.version, value, id, v) });
      if (v === versions) current.set(key, value);
    }
  }
  await db.$transaction(async (tx) => {
    for (let i = 0; i < secrets.length; i += 500) await tx.secret.createMany({ data: secrets.slice(i, i + 500) });
    for (let i = 0; i < rows.length; i += 500) await tx.secretVersion.createMany({ data: rows.slice(i, i + 500) });
    await tx.projectKey.update({
      where: { projectId_version: { projectId, version: keys.current.version } },
      data: { encryptions: { increment: rows.length } },
    });
  });
  return current;
}

export type FilledProject = SeededProject & { slug: string; production: Map<string, string> };

/** A project with `count` secrets × `versions` in production and a live deployment of their current values. */
export async function fillProject(name: string, count: number, versions = 2): Promise<FilledProject> {
  const seeded = await seedProject(name);
  const production = await addSecrets(seeded.projectId, seeded.environments.production, count, versions);
  await deploySecrets(seeded.projectId, seeded.environments.production, production);
  const { slug } = await db.project.findUniqueOrThrow({ where: { id: seeded.projectId }, select: { slug: true } });
  return { ...seeded, slug, production };
}

/** Every stored value of a project, decrypted: `secretId/version` → value, and `deployment/<id>` → its snapshot as JSON. */
export async function decryptAll(projectId: string, client: typeof db = db): Promise<Map<string, string>> {
  const keys = await projectKeys(projectId, client);
  const out = new Map<string, string>();
  const versions = await client.secretVersion.findMany({ where: { secret: { projectId } }, select: { secretId: true, version: true, blob: true } });
  for (const v of versions) out.set(`${v.secretId}/${v.version}`, decryptValue(keys.keyFor, v.blob, v.secretId, v.version));
  const deployments = await client.deployment.findMany({ where: { projectId }, select: { id: true, snapshot: true } });
  for (const d of deployments) out.set(`deployment/${d.id}`, JSON.stringify([...openSnapshot(keys, d.id, d.snapshot)]));
  return out;
}

/** The data key versions named in a project's blob headers. */
export async function blobVersions(projectId: string): Promise<number[]> {
  const versions = await db.secretVersion.findMany({ where: { secret: { projectId } }, select: { blob: true } });
  const deployments = await db.deployment.findMany({ where: { projectId }, select: { snapshot: true } });
  return [...new Set([...versions.map((v) => v.blob), ...deployments.map((d) => d.snapshot)].map((b) => Buffer.from(b).readUInt32BE(1)))].sort();
}

/** Runs `npm run keys -- <args>` as its own process (the way an operator does), with this test's database and master key. */
export function runKeys(args: string[], options: CliOptions = {}): Promise<CliResult> {
  return runScript('scripts/keys.ts', args, options);
}

/** Runs one of the TypeScript scripts (keys, backup) as a child process, with this test's database and master key. */
export function runScript(script: string, args: string[], options: CliOptions = {}): Promise<CliResult> {
  return runNode(['--import', 'tsx', path.join(ROOT, script), ...args], {
    timeoutMs: 120_000,
    cwd: ROOT,
    ...options,
    env: { KEYHOLD_MASTER_KEY: process.env.KEYHOLD_MASTER_KEY, ...options.env },
  });
}
