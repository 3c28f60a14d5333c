import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db } from '@/lib/db';
import { redeploy } from '@/lib/deploys/mutations';
import { createSecretAction, updateSecretAction } from '@/lib/secrets/actions';
import { MAX_VALUE_BYTES } from '@/lib/secrets/rules.mjs';
import { MESSAGES } from '@/lib/secrets/schemas';
import { apiError, callApi, errorOf } from '../support/api-server';
import { startApiTeam, type ApiTeam } from '../support/api-team';
import { currentValue, secretRows } from '../support/db-state';
import { secretInput, type Team } from '../support/fixtures';
import { signInAs } from '../support/session';

// Hostile keys and values through the Add/Edit server actions and through the
// API (issue 7): each is refused with its exact message on its field (API:
// 422 validation_failed, or 409 for a taken key) and writes nothing; values at
// the 64 KiB limit are kept byte for byte.

let api: ApiTeam;
let team: Team;
let production: string;

/** `bytes` bytes of UTF-8 made mostly of 3-byte characters: the limit counts bytes, not characters. */
const utf8Value = (bytes: number) => '€'.repeat(Math.floor(bytes / 3)) + 'a'.repeat(bytes % 3);

beforeAll(async () => {
  api = await startApiTeam('Hostile Input');
  ({ team, production } = api);
  signInAs(team.admin);
  await createSecretAction(team.projectId, production, secretInput('CASE_CLASH'));
});

afterAll(() => api.close());

const HOSTILE_KEYS = [
  ['a NUL byte', 'NUL\u0000KEY', MESSAGES.keyPattern],
  ['a Cyrillic А that looks Latin', 'SECRET_\u0410PI_KEY', MESSAGES.keyPattern],
  ['257 characters', 'K'.repeat(257), MESSAGES.keyTooLong],
  ['a leading digit', '1PASSWORD', MESSAGES.keyPattern],
  ['the reserved prefix', 'KEYHOLD_MASTER_KEY', MESSAGES.keyReserved],
  ['the reserved prefix in lowercase', 'keyhold_token', MESSAGES.keyReserved],
  ['a newline', 'LINE\nBREAK', MESSAGES.keyPattern],
  ['an equals sign', 'A=B', MESSAGES.keyPattern],
] as const;

describe('hostile keys', () => {
  it.each(HOSTILE_KEYS)('a key with %s is refused by the action with the message on its field; nothing is written', async (_, key, message) => {
    signInAs(team.admin);
    const before = await secretRows();
    expect(await createSecretAction(team.projectId, production, secretInput(key))).toEqual({
      ok: false,
      error: message,
      code: 'validation_failed',
      fieldErrors: { key: message },
    });
    expect(await secretRows()).toEqual(before);
  });

  it.each(HOSTILE_KEYS)('a key with %s is refused by the API: 422 validation_failed on name; nothing is written', async (_, name, message) => {
    const before = await secretRows();
    const res = await callApi(api.server, '/api/v1/secrets', { method: 'POST', token: api.writeToken, body: { name, value: 'v' } });
    expect(res.status).toBe(422);
    expect(res.json).toEqual({ error: { code: 'validation_failed', message, fields: { name: message } } });
    expect(await secretRows()).toEqual(before);
  });

  it('a key differing only by case is refused: the action on the key field, the API with 409 (also as a rename)', async () => {
    signInAs(team.admin);
    const before = await secretRows();
    expect(await createSecretAction(team.projectId, production, secretInput('case_clash'))).toEqual({
      ok: false,
      error: MESSAGES.keyExists,
      code: 'conflict',
      fieldErrors: { key: MESSAGES.keyExists },
    });
    const created = await callApi(api.server, '/api/v1/secrets', { method: 'POST', token: api.writeToken, body: { name: 'Case_Clash', value: 'v' } });
    expect(errorOf(created)).toEqual(apiError(409, 'conflict', MESSAGES.keyExists));
    const other = await callApi(api.server, '/api/v1/secrets', { method: 'POST', token: api.writeToken, body: { name: 'RENAME_ME', value: 'v' } });
    expect(other.status).toBe(201);
    const afterCreate = await secretRows();
    const renamed = await callApi(api.server, `/api/v1/secrets/${other.json.id}`, { method: 'PATCH', token: api.writeToken, body: { name: 'CASE_clash' } });
    expect(errorOf(renamed)).toEqual(apiError(409, 'conflict', MESSAGES.keyExists));
    expect(await secretRows()).toEqual(afterCreate);
    expect(afterCreate.secrets.length).toBe(before.secrets.length + 1);
  });

  it('a key of exactly 256 characters is accepted', async () => {
    signInAs(team.admin);
    const result = await createSecretAction(team.projectId, production, secretInput('K'.repeat(256)));
    expect(result.ok).toBe(true);
  });
});

describe('values at the limits', () => {
  it('a value of 0 bytes is refused on create (action and API) with "Secret value is required"', async () => {
    signInAs(team.admin);
    const before = await secretRows();
    expect(await createSecretAction(team.projectId, production, secretInput('EMPTY_VALUE', ''))).toEqual({
      ok: false,
      error: MESSAGES.valueRequired,
      code: 'validation_failed',
      fieldErrors: { value: MESSAGES.valueRequired },
    });
    const res = await callApi(api.server, '/api/v1/secrets', { method: 'POST', token: api.writeToken, body: { name: 'EMPTY_VALUE', value: '' } });
    expect(res.json).toEqual({ error: { code: 'validation_failed', message: MESSAGES.valueRequired, fields: { value: MESSAGES.valueRequired } } });
    expect(await secretRows()).toEqual(before);
  });

  it('exactly 64 KiB of UTF-8 is accepted by the action and the API, and read back identical after a deployment', async () => {
    const value = utf8Value(MAX_VALUE_BYTES);
    expect(Buffer.byteLength(value)).toBe(65_536);
    signInAs(team.admin);
    const viaAction = await createSecretAction(team.projectId, production, secretInput('MAX_VIA_ACTION', value));
    if (!viaAction.ok) throw new Error(viaAction.error);
    const viaApi = await callApi(api.server, '/api/v1/secrets', { method: 'POST', token: api.writeToken, body: { name: 'MAX_VIA_API', value } });
    expect(viaApi.status).toBe(201);
    expect(await currentValue(viaAction.data.id)).toBe(value);
    expect(await currentValue(viaApi.json.id)).toBe(value);

    expect((await redeploy(team.projectId, production)).status).toBe('SUCCEEDED');
    for (const name of ['MAX_VIA_ACTION', 'MAX_VIA_API']) {
      const read = await callApi(api.server, `/api/v1/secrets/${name}`, { token: api.writeToken });
      expect(read.status).toBe(200);
      expect(read.json.value === value, `${name} reads back identical`).toBe(true);
    }
  });

  it('64 KiB + 1 byte is refused with the exact message by create and edit, action and API; nothing is written', async () => {
    const tooLarge = utf8Value(MAX_VALUE_BYTES + 1);
    expect(Buffer.byteLength(tooLarge)).toBe(65_537);
    signInAs(team.admin);
    const target = await db.secret.findFirstOrThrow({ where: { projectId: team.projectId, key: 'CASE_CLASH' }, select: { id: true, revision: true } });
    const before = await secretRows();
    const refused = { ok: false, error: MESSAGES.valueTooLarge, code: 'validation_failed', fieldErrors: { value: MESSAGES.valueTooLarge } };
    expect(await createSecretAction(team.projectId, production, secretInput('TOO_LARGE', tooLarge))).toEqual(refused);
    expect(await updateSecretAction(team.projectId, target.id, { value: tooLarge, description: '', type: 'OTHER', revision: target.revision })).toEqual(
      refused,
    );
    const apiRefused = { error: { code: 'validation_failed', message: MESSAGES.valueTooLarge, fields: { value: MESSAGES.valueTooLarge } } };
    const created = await callApi(api.server, '/api/v1/secrets', { method: 'POST', token: api.writeToken, body: { name: 'TOO_LARGE', value: tooLarge } });
    expect([created.status, created.json]).toEqual([422, apiRefused]);
    const patched = await callApi(api.server, `/api/v1/secrets/${target.id}`, { method: 'PATCH', token: api.writeToken, body: { value: tooLarge } });
    expect([patched.status, patched.json]).toEqual([422, apiRefused]);
    expect(await secretRows()).toEqual(before);
  });
});
