import { db } from '@/lib/db';

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
