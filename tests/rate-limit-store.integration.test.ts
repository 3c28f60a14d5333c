// When the rate limits' store fails (PostgreSQL: its table is gone, the
// database still answers), a limited request is answered like one made while
// the database is down: sign-in fails as SignInFailed, an action answers
// `unavailable`, the API 503 `database_unavailable`. Never "too many
// attempts", and never let through uncounted. SQLite counts in memory, which
// cannot fail: these cases run on PostgreSQL only.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { changePasswordAction } from '@/lib/account/actions';
import { setApiRateLimits } from '@/lib/api/rate-limit';
import { hashPassword } from '@/lib/auth/password';
import { SIGN_IN_FAILED, signInOrFailClean, signInWithCredentials } from '@/lib/auth/sign-in';
import { db, isDatabaseUnavailable, provider } from '@/lib/db';
import { RATE_LIMIT_TABLE } from '@/lib/db-providers.mjs';
import { apiError, callApi, errorOf } from './support/api-server';
import { startApiTeam, type ApiTeam } from './support/api-team';
import { signInAs } from './support/session';

const PASSWORD = 'correct horse battery staple';
let api: ApiTeam;
let user: { id: string; name: string; email: string };

const dropTheTable = () => db.$executeRawUnsafe(`DROP TABLE IF EXISTS ${RATE_LIMIT_TABLE}`);

describe.runIf(provider === 'postgresql')('a failing rate-limit store', () => {
  beforeAll(async () => {
    api = await startApiTeam('Limiter store');
    user = await db.user.update({
      where: { id: api.team.owner.id },
      data: { passwordHash: await hashPassword(PASSWORD) },
      select: { id: true, name: true, email: true },
    });
  });
  afterAll(() => api.close());

  it('sign-in answers SignInFailed (as when the database is down), not too many attempts, and does not sign in', async () => {
    const credentials = { email: user.email, password: PASSWORD };
    expect(await signInWithCredentials(credentials, '198.51.100.1')).toMatchObject({ id: user.id }); // counted in the table
    await dropTheTable();
    const error = await signInWithCredentials(credentials, '198.51.100.1').catch((e: unknown) => e);
    expect(isDatabaseUnavailable(error)).toBe(true);
    await expect(signInOrFailClean(credentials, '198.51.100.1')).rejects.toThrow(new Error(SIGN_IN_FAILED));
  });

  it('sign-in logs the store failure once, without the password or the email', async () => {
    const credentials = { email: user.email, password: PASSWORD };
    await signInWithCredentials(credentials, '198.51.100.2').catch(() => undefined); // the limiters have their store
    await dropTheTable();
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      await expect(signInOrFailClean(credentials, '198.51.100.2')).rejects.toThrow(new Error(SIGN_IN_FAILED));
      const lines = logged.mock.calls.map((args) => args.map(String).join(' '));
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^\[keyhold\] rate limit store of login-\S+ failed/);
      expect(lines[0]).not.toContain(PASSWORD);
      expect(lines[0]).not.toContain(user.email);
    } finally {
      logged.mockRestore();
    }
  });

  it('an action that counts password attempts answers unavailable, and changes nothing', async () => {
    await dropTheTable();
    const before = await db.user.findUniqueOrThrow({ where: { id: user.id }, select: { passwordHash: true } });
    signInAs(user);
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      const result = await changePasswordAction({ currentPassword: PASSWORD, newPassword: 'another long passphrase' });
      expect(result).toEqual({
        ok: false,
        code: 'unavailable',
        error: 'Keyhold cannot reach its database right now. Nothing was saved; try again in a moment.',
      });
      expect(logged, 'the store failure, once').toHaveBeenCalledTimes(1);
    } finally {
      logged.mockRestore();
      signInAs(null);
    }
    expect(await db.user.findUniqueOrThrow({ where: { id: user.id }, select: { passwordHash: true } })).toEqual(before);
  });

  it('the API answers 503 database_unavailable once a request must ask the store', async () => {
    setApiRateLimits({ perToken: 2, perIp: 0 }); // from half the limit on, every request asks the store
    const first = await callApi(api.server, '/api/v1/secrets/info', { token: api.writeToken });
    expect(first.status).toBe(200);
    await dropTheTable();
    const second = await callApi(api.server, '/api/v1/secrets/info', { token: api.writeToken });
    expect(errorOf(second)).toEqual(
      apiError(503, 'database_unavailable', 'Keyhold cannot reach its database right now. Nothing was changed; try again in a moment.'),
    );
  });
});
