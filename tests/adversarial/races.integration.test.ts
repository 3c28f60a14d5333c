import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db } from '@/lib/db';
import { createSecretAction, updateSecretAction } from '@/lib/secrets/actions';
import { MESSAGES } from '@/lib/secrets/schemas';
import { apiError, callApi, errorOf } from '../support/api-server';
import { startApiTeam, type ApiTeam } from '../support/api-team';
import { currentValue, versionValues } from '../support/db-state';
import { secretInput, type Team } from '../support/fixtures';
import { signInAs } from '../support/session';

// Races (issue 7): many edits of one secret and many creates of one key at
// once. Exactly one edit wins per revision, every loser is told so, versions
// stay contiguous and no accepted value is lost; exactly one create of a key
// wins and every other one gets "A secret with this key already exists".

let api: ApiTeam;
let team: Team;
let production: string;

async function newSecret(key: string): Promise<string> {
  signInAs(team.admin);
  const created = await createSecretAction(team.projectId, production, secretInput(key, 'initial'));
  if (!created.ok) throw new Error(created.error);
  return created.data.id;
}

const versionsOf = async (secretId: string) =>
  (await db.secretVersion.findMany({ where: { secretId }, orderBy: { version: 'asc' }, select: { version: true } })).map((v) => v.version);

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

beforeAll(async () => {
  api = await startApiTeam('Races');
  ({ team, production } = api);
});

afterAll(() => api.close());

describe('concurrent edits of one secret', () => {
  it('60 edits from the same revision: exactly one wins, 59 get the conflict message, one new version', async () => {
    const secretId = await newSecret('SIXTY_EDITS');
    const results = await Promise.all(
      range(60).map((i) => updateSecretAction(team.projectId, secretId, { value: `edit-${i}`, description: '', type: 'OTHER', revision: 1 })),
    );
    const winners = results.flatMap((r, i) => (r.ok ? [i] : []));
    expect(winners).toHaveLength(1);
    expect(results[winners[0]]).toEqual({ ok: true, data: { revision: 2 } });
    expect(results.filter((r) => !r.ok)).toEqual(Array(59).fill({ ok: false, error: MESSAGES.conflict, code: 'conflict' }));
    expect(await versionsOf(secretId)).toEqual([1, 2]);
    expect(await currentValue(secretId)).toBe(`edit-${winners[0]}`);
    expect(await db.auditEvent.count({ where: { targetId: secretId, action: 'secret.value_changed' } })).toBe(1);
  });

  it('20 writers retrying after each conflict all land exactly once: one winner per revision, versions 1..21, nothing lost', async () => {
    const secretId = await newSecret('RETRYING_EDITS');
    const wonRevision = new Map<number, number>();
    await Promise.all(
      range(20).map(async (writer) => {
        for (;;) {
          const { revision } = await db.secret.findUniqueOrThrow({ where: { id: secretId }, select: { revision: true } });
          const result = await updateSecretAction(team.projectId, secretId, { value: `writer-${writer}`, description: '', type: 'OTHER', revision });
          if (result.ok) {
            expect(wonRevision.has(result.data.revision), `revision ${result.data.revision} won twice`).toBe(false);
            wonRevision.set(result.data.revision, writer);
            return;
          }
          expect(result).toEqual({ ok: false, error: MESSAGES.conflict, code: 'conflict' });
        }
      }),
    );
    expect([...wonRevision.keys()].sort((a, b) => a - b)).toEqual(range(20).map((i) => i + 2));
    expect(new Set(wonRevision.values()).size).toBe(20);
    expect(await versionsOf(secretId)).toEqual(range(21).map((i) => i + 1));
    // Every accepted value is a version of its own, in the order the writers won.
    expect((await versionValues(secretId)).slice(1)).toEqual([...wonRevision.entries()].sort(([a], [b]) => a - b).map(([, writer]) => `writer-${writer}`));
  });

  it('60 concurrent API PATCHes: each answers 200 or 409 with the conflict message, and every 200 is a version of its own', async () => {
    const secretId = await newSecret('SIXTY_PATCHES');
    const answers = await Promise.all(
      range(60).map((i) => callApi(api.server, `/api/v1/secrets/${secretId}`, { method: 'PATCH', token: api.writeToken, body: { value: `patch-${i}` } })),
    );
    const accepted = answers.filter((a) => a.status === 200);
    const refused = answers.filter((a) => a.status !== 200);
    expect(accepted.length).toBeGreaterThanOrEqual(1);
    for (const answer of refused) expect(errorOf(answer)).toEqual(apiError(409, 'conflict', MESSAGES.conflict));
    expect(await versionsOf(secretId)).toEqual(range(accepted.length + 1).map((i) => i + 1));
    const last = await db.secret.findUniqueOrThrow({ where: { id: secretId }, select: { revision: true, currentVersion: true } });
    expect(last).toEqual({ revision: accepted.length + 1, currentVersion: accepted.length + 1 });
  });
});

describe('concurrent creates of one key', () => {
  it('20 creates through the action (mixed case): exactly one row, 19 told the key exists', async () => {
    signInAs(team.admin);
    const results = await Promise.all(
      range(20).map((i) => createSecretAction(team.projectId, production, secretInput(i % 2 ? 'RACE_KEY' : 'race_key', `create-${i}`))),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok)).toEqual(
      Array(19).fill({ ok: false, error: MESSAGES.keyExists, code: 'conflict', fieldErrors: { key: MESSAGES.keyExists } }),
    );
    const rows = await db.secret.findMany({ where: { projectId: team.projectId, keyFolded: 'race_key' }, select: { id: true } });
    expect(rows).toHaveLength(1);
    expect(await versionsOf(rows[0].id)).toEqual([1]);
    expect(await db.auditEvent.count({ where: { projectId: team.projectId, action: 'secret.created', targetLabel: { in: ['RACE_KEY', 'race_key'] } } })).toBe(
      1,
    );
  });

  it('20 creates through the API: one 201, nineteen 409 with the same message, one row', async () => {
    const answers = await Promise.all(
      range(20).map((i) =>
        callApi(api.server, '/api/v1/secrets', { method: 'POST', token: api.writeToken, body: { name: 'API_RACE_KEY', value: `create-${i}` } }),
      ),
    );
    expect(answers.filter((a) => a.status === 201)).toHaveLength(1);
    const refused = answers.filter((a) => a.status !== 201);
    expect(refused.map(errorOf)).toEqual(Array(19).fill(apiError(409, 'conflict', MESSAGES.keyExists)));
    expect(await db.secret.count({ where: { projectId: team.projectId, key: 'API_RACE_KEY' } })).toBe(1);
  });
});
