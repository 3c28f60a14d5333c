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

/** A secret's current value, decrypted as a deployment would read it (tests only: values never leave the server). */
export async function currentValue(secretId: string): Promise<string> {
  const secret = await db.secret.findUniqueOrThrow({ where: { id: secretId }, select: { projectId: true, currentVersion: true } });
  const version = await db.secretVersion.findUniqueOrThrow({
    where: { secretId_version: { secretId, version: secret.currentVersion } },
    select: { blob: true },
  });
  return decryptValue((await projectKeys(secret.projectId)).keyFor, version.blob, secretId, secret.currentVersion);
}
