import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { ACTION_FAILURES } from '@/lib/action-result';
import { runAction } from '@/lib/action-runner';
import { conflict, invalid, noChanges, notFound } from '@/lib/errors';
import { deniedMessage, NOT_A_MEMBER } from '@/lib/permissions';
import { migrateTestDatabase } from './support/db';
import { makeTeam, type Team } from './support/fixtures';
import { signInAs } from './support/session';

// The one server-action wrapper (lib/action-runner.ts): input, session and
// permission are checked before the data layer runs; failures come back as
// one shape with a stable code and never carry an unexpected error's message.

const CANARY = 'canary-value-7f3a9c';
const schema = z.object({ name: z.string().min(1, { error: 'Name is required' }) });
let team: Team;

beforeAll(async () => {
  await migrateTestDatabase();
  team = await makeTeam('Wrapper');
});
afterEach(() => signInAs(null));

describe('runAction', () => {
  it('answers the data layer result with the parsed input', async () => {
    signInAs(team.admin);
    const body = vi.fn(async (input: { name: string }) => `hello ${input.name}`);
    const result = await runAction({ name: 'renameProject', access: { projectId: team.projectId, verb: 'renameProject' }, schema, input: { name: 'x' } }, body);
    expect(result).toEqual({ ok: true, data: 'hello x' });
  });

  it.each([
    [
      'a conflict with a field error',
      () => conflict('Taken', { key: 'Taken' }),
      { ok: false, error: 'Taken', code: 'conflict', fieldErrors: { key: 'Taken' } },
    ],
    ['nothing to change', () => noChanges('No changes to save'), { ok: false, error: 'No changes to save', code: 'no_changes' }],
    ['a row that is gone', () => notFound('Gone'), { ok: false, error: 'Gone', code: 'not_found' }],
    ['a refused value', () => invalid('Bad', { value: 'Bad' }), { ok: false, error: 'Bad', code: 'validation_failed', fieldErrors: { value: 'Bad' } }],
  ])('maps an expected failure (%s) by its code', async (_, error, expected) => {
    expect(await runAction({ name: 'createSecret', access: 'public' }, async () => Promise.reject(error()))).toEqual(expected);
  });

  it("answers an unexpected error with the action's generic sentence and logs it without its message", async () => {
    const logged: string[] = [];
    const spy = vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void logged.push(args.join(' ')));
    try {
      const result = await runAction({ name: 'createSecret', access: 'public' }, async () => {
        throw new Error(`constraint failed for value ${CANARY}`);
      });
      expect(result).toEqual({ ok: false, error: ACTION_FAILURES.createSecret, code: 'failed' });
      expect(JSON.stringify(result)).not.toContain(CANARY);
      expect(logged.join('\n')).toContain(`[keyhold] ${ACTION_FAILURES.createSecret} (Error)`);
      expect(logged.join('\n')).not.toContain(CANARY);
    } finally {
      spy.mockRestore();
    }
  });

  it('refuses invalid input with field errors before anything else runs', async () => {
    const body = vi.fn(async () => 'ran');
    const result = await runAction({ name: 'createProject', access: 'signed-in', schema, input: { name: '' } }, body);
    expect(result).toEqual({ ok: false, error: 'Name is required', code: 'validation_failed', fieldErrors: { name: 'Name is required' } });
    expect(body).not.toHaveBeenCalled();
  });

  it('refuses a signed-out caller, a non-member and a member without the permission; the data layer never runs', async () => {
    const body = vi.fn(async () => 'ran');
    const access = { projectId: team.projectId, verb: 'manageMembers' } as const;
    expect(await runAction({ name: 'createProject', access: 'signed-in' }, body)).toEqual({
      ok: false,
      error: 'Your session has ended. Sign in again.',
      code: 'unauthenticated',
    });
    expect(await runAction({ name: 'createInvite', access }, body)).toMatchObject({ ok: false, code: 'unauthenticated' });
    signInAs(team.outsider);
    expect(await runAction({ name: 'createInvite', access }, body)).toEqual({ ok: false, error: NOT_A_MEMBER, code: 'forbidden' });
    signInAs(team.admin);
    expect(await runAction({ name: 'createInvite', access }, body)).toEqual({ ok: false, error: deniedMessage('manageMembers'), code: 'forbidden' });
    expect(body).not.toHaveBeenCalled();
    signInAs(team.owner);
    expect(await runAction({ name: 'createInvite', access }, body)).toEqual({ ok: true, data: 'ran' });
  });
});
