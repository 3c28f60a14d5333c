// A secret write that read the project's data key just before a rotation and
// `keys verify` destroyed that key version: the write fails its encryption
// count inside its transaction and answers a conflict (409 `conflict` over
// the API, the sentence in the action result), with nothing saved. The race
// is made exact, not timed: the real projectKeys is wrapped so that, once
// armed, the real rotation and the real verify run right after the write has
// read its key and before its transaction starts.
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { db } from '@/lib/db';
import { KEY_ROTATED, rotateProject } from '@/lib/keys/rotate-project';
import { verifyKeys } from '@/lib/keys/verify';
import { authorizedChangeSecret, authorizedCreateSecret } from '@/lib/secrets/authorized';
import { createSecretAction, updateSecretAction } from '@/lib/secrets/actions';
import { apiError, callApi, errorOf } from './support/api-server';
import { startApiTeam, type ApiTeam } from './support/api-team';
import { expectAppError, secretInput } from './support/fixtures';
import { signInAs } from './support/session';

const race = vi.hoisted(() => ({ armed: null as null | (() => Promise<void>) }));

vi.mock('@/lib/projects/keys', async (importOriginal) => {
  const real = await importOriginal<typeof import('@/lib/projects/keys')>();
  return {
    ...real,
    projectKeys: async (...args: Parameters<typeof real.projectKeys>) => {
      const keys = await real.projectKeys(...args);
      const between = race.armed;
      race.armed = null; // the rotation below reads the keys too
      await between?.();
      return keys;
    },
  };
});

const WRITER = { userId: null, label: 'race test writer', ip: null };
let api: ApiTeam;
let slug: string;

beforeAll(async () => {
  api = await startApiTeam('Write race');
  slug = (await db.project.findUniqueOrThrow({ where: { id: api.team.projectId }, select: { slug: true } })).slug;
});
afterAll(() => api.close());

/** The next write's key read is followed by a rotation and the destruction of the version it read. */
function rotateAfterTheNextKeyRead(): void {
  race.armed = async () => {
    await rotateProject({ id: api.team.projectId, slug });
    const verification = await verifyKeys({ destroyRetired: true });
    expect(verification.projects.find((p) => p.slug === slug)?.destroyed.length).toBe(1);
  };
}

const keyVersions = async () => (await db.projectKey.findMany({ where: { projectId: api.team.projectId }, select: { version: true } })).map((k) => k.version);

let secretId: string;
beforeEach(async () => {
  ({ id: secretId } = await authorizedCreateSecret(
    WRITER,
    { projectId: api.team.projectId, environmentId: api.production },
    secretInput(`KEY_${Date.now()}`, 'first'),
  ));
});

describe('a write racing the destruction of the key version it encrypted under', () => {
  it('an edit through the data layer is a conflict, nothing saved; the retry saves under the new version', async () => {
    const before = await keyVersions();
    rotateAfterTheNextKeyRead();
    await expectAppError(authorizedChangeSecret(WRITER, { projectId: api.team.projectId }, secretId, { value: 'second' }), 'conflict', KEY_ROTATED);
    expect(race.armed).toBeNull(); // the race did happen
    expect(await keyVersions()).toEqual([Math.max(...before) + 1]);
    const secret = await db.secret.findUniqueOrThrow({ where: { id: secretId }, select: { currentVersion: true, revision: true } });
    expect(secret).toEqual({ currentVersion: 1, revision: 1 });
    expect(await db.secretVersion.count({ where: { secretId } })).toBe(1);
    expect(await db.auditEvent.count({ where: { targetId: secretId, action: 'secret.value_changed' } })).toBe(0);

    expect(await authorizedChangeSecret(WRITER, { projectId: api.team.projectId }, secretId, { value: 'second' })).toEqual({ revision: 2, version: 2 });
  });

  it('a create through the data layer is a conflict, nothing created', async () => {
    rotateAfterTheNextKeyRead();
    const input = secretInput('RACED_CREATE', 'x');
    await expectAppError(authorizedCreateSecret(WRITER, { projectId: api.team.projectId, environmentId: api.production }, input), 'conflict', KEY_ROTATED);
    expect(await db.secret.count({ where: { projectId: api.team.projectId, key: 'RACED_CREATE' } })).toBe(0);
  });

  it('the API answers 409 conflict (create and edit)', async () => {
    rotateAfterTheNextKeyRead();
    const edit = await callApi(api.server, `/api/v1/secrets/${secretId}`, { method: 'PATCH', token: api.writeToken, body: { value: 'over the API' } });
    expect(errorOf(edit)).toEqual(apiError(409, 'conflict', KEY_ROTATED));

    rotateAfterTheNextKeyRead();
    const create = await callApi(api.server, '/api/v1/secrets', { method: 'POST', token: api.writeToken, body: { name: 'RACED_API', value: 'x' } });
    expect(errorOf(create)).toEqual(apiError(409, 'conflict', KEY_ROTATED));
  });

  it('the actions answer the sentence with code conflict', async () => {
    signInAs(api.team.owner);
    try {
      rotateAfterTheNextKeyRead();
      const secret = await db.secret.findUniqueOrThrow({ where: { id: secretId }, select: { revision: true } });
      const edit = await updateSecretAction(api.team.projectId, secretId, { value: 'in the UI', description: '', type: 'OTHER', revision: secret.revision });
      expect(edit).toEqual({ ok: false, error: KEY_ROTATED, code: 'conflict' });

      rotateAfterTheNextKeyRead();
      const create = await createSecretAction(api.team.projectId, api.production, { ...secretInput('RACED_UI', 'x'), alsoEnvironmentIds: [] });
      expect(create).toEqual({ ok: false, error: KEY_ROTATED, code: 'conflict' });
    } finally {
      signInAs(null);
    }
  });
});
