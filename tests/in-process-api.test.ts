import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { db } from '@/lib/db';
import { redeploy } from '@/lib/deploys/mutations';
import { createProject } from '@/lib/projects/mutations';
import { keyhold, KeyholdError } from '@/lib/api/in-process';
import { deploymentSecretValue, liveStats, setLiveTtl } from '@/lib/deploys/live';
import { MESSAGES } from '@/lib/secrets/schemas';
import { createSecret } from '@/lib/secrets/mutations';
import { migrateTestDatabase } from './support/db';
import { signInAs } from './support/session';

// The in-process API: same verbs, types and errors as the HTTP API.

let projectId: string, slug: string, production: string, staging: string;

async function rejection(promise: Promise<unknown>): Promise<KeyholdError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(KeyholdError);
  return error as KeyholdError;
}

beforeAll(async () => {
  await migrateTestDatabase();
  const admin = await db.user.create({ data: { name: 'Admin', email: `admin-${randomUUID()}@example.test`, passwordHash: 'x' } });
  signInAs(admin);
  slug = (await createProject({ name: 'SDK project' })).slug;
  projectId = (await db.project.findUniqueOrThrow({ where: { slug } })).id;
  production = (await db.environment.findFirstOrThrow({ where: { projectId, name: 'production' } })).id;
  staging = (await db.environment.findFirstOrThrow({ where: { projectId, name: 'staging' } })).id;
  for (const [key, value] of [
    ['STRIPE_API_KEY', 'sk_live_1'],
    ['MULTI', 'a\nb'],
    ['__proto__', 'p'],
    ['constructor', 'c'],
  ]) {
    await createSecret(projectId, production, { key, value, description: '', type: 'OTHER' });
  }
  await redeploy(projectId, production);
});

describe('keyhold() in-process', () => {
  it('reads the live deployment by name, warm reads neither query nor decrypt', async () => {
    setLiveTtl(60_000);
    const secrets = keyhold({ projectId, environmentId: production });
    expect(await secrets.getSecret('STRIPE_API_KEY')).toBe('sk_live_1');
    const decrypts = liveStats.decrypts;
    const reads = liveStats.liveReads;
    for (let i = 0; i < 1000; i++) await secrets.getSecret('MULTI');
    expect(await secrets.getSecret('__proto__')).toBe('p');
    expect(liveStats.decrypts).toBe(decrypts);
    expect(liveStats.liveReads).toBe(reads);
    const all = await secrets.getSecrets();
    expect(Object.getOwnPropertyDescriptor(all, '__proto__')?.value).toBe('p');
    expect(all.constructor).toBe('c');
    const missing = await rejection(secrets.getSecret('NOPE'));
    expect([missing.code, missing.status]).toEqual(['secret_not_found', 404]);
    setLiveTtl(null);
  });

  it('binds by project slug and environment name', async () => {
    expect(await keyhold({ project: slug, environment: 'production' }).getSecret('STRIPE_API_KEY')).toBe('sk_live_1');
    await expect(keyhold({ project: slug, environment: 'nope' }).getSecret('X')).rejects.toThrow(/no environment nope/);
  });

  it('says not_deployed before the first deployment', async () => {
    const error = await rejection(keyhold({ projectId, environmentId: staging }).getSecret('X'));
    expect(error.code).toBe('not_deployed');
    expect(error.message).toMatch(/staging environment has no successful deployment yet/);
  });

  it('creates, lists, updates and deletes in the working set, audited as Keyhold itself', async () => {
    const secrets = keyhold({ projectId, environmentId: staging }, { label: 'keyhold:test' });
    const { id } = await secrets.createSecret({ name: 'SERVICE_URL', value: 'https://x' });
    expect((await secrets.listSecretInfo()).map((s) => [s.name, s.type])).toEqual([['SERVICE_URL', 'CONNECTION_STRING']]);
    expect(await secrets.updateSecret(id, { value: 'https://y', description: 'Where' })).toEqual({ id });
    const invalid = await rejection(secrets.createSecret({ name: '1X', value: '' }));
    expect([invalid.code, invalid.fields]).toEqual(['validation_failed', { name: MESSAGES.keyPattern, value: MESSAGES.valueRequired }]);
    const taken = await rejection(secrets.createSecret({ name: 'service_url', value: 'x' }));
    expect([taken.code, taken.message]).toEqual(['conflict', MESSAGES.keyExists]);
    await secrets.deleteSecret(id);
    expect((await rejection(secrets.deleteSecret(id))).code).toBe('secret_not_found');
    const events = await db.auditEvent.findMany({ where: { targetId: id }, orderBy: { createdAt: 'asc' } });
    expect(events.map((e) => [e.action, e.actorLabel, e.actorId, e.actorTokenId])).toEqual([
      ['secret.created', 'keyhold:test', null, null],
      ['secret.value_changed', 'keyhold:test', null, null],
      ['secret.deleted', 'keyhold:test', null, null],
    ]);
  });

  it('never reaches another environment with an id', async () => {
    const stagingSecrets = keyhold({ projectId, environmentId: staging });
    const productionId = (await db.secret.findFirstOrThrow({ where: { environmentId: production, key: 'STRIPE_API_KEY' } })).id;
    expect((await rejection(stagingSecrets.updateSecret(productionId, { value: 'x' }))).code).toBe('secret_not_found');
    expect((await rejection(stagingSecrets.deleteSecret(productionId))).code).toBe('secret_not_found');
  });

  it('reads one value of a given deployment by secret id (for the deploy hook sender)', async () => {
    const deployment = await db.deployment.findFirstOrThrow({
      where: { environmentId: production, status: 'SUCCEEDED' },
      select: { id: true, number: true, projectId: true, environmentId: true },
    });
    const id = (await db.secret.findFirstOrThrow({ where: { environmentId: production, key: 'STRIPE_API_KEY' } })).id;
    expect(await deploymentSecretValue(deployment, id)).toBe('sk_live_1');
    expect(await deploymentSecretValue(deployment, randomUUID())).toBeUndefined();
  });
});
