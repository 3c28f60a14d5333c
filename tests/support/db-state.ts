import { decryptValue } from '@/lib/crypto/envelope';
import { db } from '@/lib/db';
import { projectKeys } from '@/lib/projects/keys';

// "Nothing changed": every row a refused call could have written, read in a
// stable order, so a test compares the whole database before and after.

const byId = { orderBy: { id: 'asc' as const } };

/** The secrets side: what an API write could touch (API reads also record token use, so tokens and audit rows are left out). */
export async function secretRows() {
  const [environments, secrets, versions, deployments] = await Promise.all([
    db.environment.findMany(byId),
    db.secret.findMany(byId),
    db.secretVersion.findMany(byId),
    db.deployment.findMany(byId),
  ]);
  return { environments, secrets, versions, deployments };
}

/** Every table a server action writes. */
export async function allRows() {
  const [secrets, users, projects, projectKeys, memberships, invites, tokens, deploymentItems, audit] = await Promise.all([
    secretRows(),
    db.user.findMany(byId),
    db.project.findMany(byId),
    db.projectKey.findMany(byId),
    db.membership.findMany(byId),
    db.invite.findMany(byId),
    db.serviceToken.findMany(byId),
    db.deploymentSecret.findMany(byId),
    db.auditEvent.findMany(byId),
  ]);
  return { ...secrets, users, projects, projectKeys, memberships, invites, tokens, deploymentItems, audit };
}

/** Every value a secret has had, oldest first, decrypted (tests only: values never leave the server). */
export async function versionValues(secretId: string): Promise<string[]> {
  const { projectId } = await db.secret.findUniqueOrThrow({ where: { id: secretId }, select: { projectId: true } });
  const { keyFor } = await projectKeys(projectId);
  const versions = await db.secretVersion.findMany({ where: { secretId }, orderBy: { version: 'asc' }, select: { version: true, blob: true } });
  return versions.map((v) => decryptValue(keyFor, v.blob, secretId, v.version));
}

/** A secret's current value, as the next deployment would read it. */
export async function currentValue(secretId: string): Promise<string> {
  const { currentVersion } = await db.secret.findUniqueOrThrow({ where: { id: secretId }, select: { currentVersion: true } });
  return (await versionValues(secretId))[currentVersion - 1];
}
