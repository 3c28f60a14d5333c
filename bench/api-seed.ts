// Seeds the database of bench/api.mjs and bench/page.mjs (run by them with tsx;
// not meant to be run alone): one project with its data key and environments,
// 100 secrets (BENCH_SECRETS to change) in production written through the data layer, a SUCCEEDED deployment of them
// sealed as a redeploy seals it, a read token and a read-write token, and
// (with BENCH_OWNER_EMAIL and BENCH_OWNER_PASSWORD, for bench/soak.mjs) an
// owner who can sign in. Prints one JSON line:
// { projectId, environmentId, slug, token, writeToken, secrets, sampleKey }.
import { randomBytes } from 'node:crypto';
import { db } from '@/lib/db';
import { sealSnapshot } from '@/lib/deploys/snapshot';
import { hashPassword } from '@/lib/auth/password';
import { createProjectKey, projectKeys } from '@/lib/projects/keys';
import { authorizedCreateSecret } from '@/lib/secrets/authorized';
import { generateToken, hashToken, tokenPrefix } from '@/lib/tokens/registry';

/** Secrets shaped like a real environment: keys of 8–40 characters, values of 16–300 bytes, one PEM. */
function benchSecrets(count: number): [string, string][] {
  const secrets: [string, string][] = [];
  for (let i = 0; i < count - 1; i++) {
    const kind = ['STRIPE', 'DATABASE', 'REDIS', 'SENTRY', 'S3', 'SMTP', 'OAUTH', 'WEBHOOK'][i % 8];
    secrets.push([`BENCH_${kind}_${String(i).padStart(3, '0')}_${i % 3 === 0 ? 'API_KEY' : 'URL'}`, randomBytes(12 + ((i * 29) % 220)).toString('base64url')]);
  }
  const pem = `-----BEGIN PRIVATE KEY-----\n${randomBytes(1200)
    .toString('base64')
    .replace(/(.{64})/g, '$1\n')}\n-----END PRIVATE KEY-----\n`;
  secrets.push(['BENCH_TLS_PRIVATE_KEY', pem]);
  return secrets;
}

async function main() {
  const project = await db.$transaction(async (tx) => {
    const row = await tx.project.create({ data: { name: 'API bench', slug: `api-bench-${randomBytes(4).toString('hex')}` } });
    await createProjectKey(tx, row.id);
    await tx.environment.createMany({
      data: ['development', 'staging', 'production'].map((name, position) => ({ projectId: row.id, name, position })),
    });
    return row;
  });
  const environment = await db.environment.findFirstOrThrow({ where: { projectId: project.id, name: 'production' } });
  const scope = { projectId: project.id, environmentId: environment.id };
  const actor = { userId: null, label: 'bench', ip: null };
  const secrets = benchSecrets(Number(process.env.BENCH_SECRETS) || 100);
  const items: { secretId: string; key: string }[] = [];
  for (const [key, value] of secrets) {
    const { id } = await authorizedCreateSecret(actor, scope, { key, value, description: '', type: 'OTHER' });
    items.push({ secretId: id, key });
  }

  const keys = await projectKeys(project.id);
  const deploymentId = crypto.randomUUID();
  const now = new Date();
  await db.deployment.create({
    data: {
      id: deploymentId,
      projectId: project.id,
      environmentId: environment.id,
      number: 1,
      status: 'SUCCEEDED',
      triggeredBy: 'bench',
      snapshot: sealSnapshot(keys, deploymentId, new Map(secrets)),
      secretCount: secrets.length,
      attempts: 1,
      startedAt: now,
      finishedAt: now,
      items: { create: items.map((item) => ({ ...item, version: 1, revision: 1 })) },
    },
  });

  const makeToken = async (scope: 'read' | 'read-write') => {
    const token = generateToken();
    await db.serviceToken.create({
      data: { projectId: project.id, environmentId: environment.id, name: `bench-${scope}`, scope, prefix: tokenPrefix(token), tokenHash: hashToken(token) },
    });
    return token;
  };
  const [token, writeToken] = [await makeToken('read'), await makeToken('read-write')];
  const { BENCH_OWNER_EMAIL: email, BENCH_OWNER_PASSWORD: password } = process.env;
  if (email && password) {
    const owner = await db.user.create({ data: { name: 'Bench Owner', email, passwordHash: await hashPassword(password) } });
    await db.membership.create({ data: { projectId: project.id, userId: owner.id, role: 'OWNER' } });
  }
  console.log(
    JSON.stringify({
      projectId: project.id,
      environmentId: environment.id,
      slug: project.slug,
      token,
      writeToken,
      secrets: secrets.length,
      sampleKey: secrets[50][0],
    }),
  );
  await db.$disconnect();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
