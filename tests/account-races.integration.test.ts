import { Secret, TOTP } from 'otpauth';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { changePassword, confirmSecondFactor, resetPasswordWithLink, startSecondFactorSetup } from '@/lib/account/mutations';
import { ACCOUNT_TEXT } from '@/lib/account/schemas';
import { hashPassword } from '@/lib/auth/password';
import { openTotpSecret, redeemSecondFactorCode } from '@/lib/auth/second-factor';
import { authenticate } from '@/lib/auth/sign-in';
import { db } from '@/lib/db';
import { createPasswordResetLink } from '@/lib/members/mutations';
import { migrateTestDatabase } from './support/db';
import { makeTeam, makeUser, type Team, type User } from './support/fixtures';
import { withWritesHeld } from './support/held-writes';
import { signInAs } from './support/session';

// One person's account changed by two requests at the same moment (two tabs,
// a double submit). On PostgreSQL withWritesHeld lets both do their checks
// before either writes; each test holds on both databases.

// Scrypt (~280 ms a password) on a busy 2-core machine.
vi.setConfig({ testTimeout: 120_000 });

const PASSWORD = 'correct horse battery staple';
const codeOf = (secret: string) => TOTP.generate({ secret: Secret.fromBase32(secret) });
const fulfilled = <T>(results: PromiseSettledResult<T>[]) => results.filter((r): r is PromiseFulfilledResult<T> => r.status === 'fulfilled');
const rejected = (results: PromiseSettledResult<unknown>[]) => results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');

let team: Team;

async function withPassword(name: string): Promise<User> {
  const user = await makeUser(name);
  await db.user.update({ where: { id: user.id }, data: { passwordHash: await hashPassword(PASSWORD) } });
  return user;
}

beforeAll(async () => {
  await migrateTestDatabase();
  team = await makeTeam('Account races');
});

describe('the password', () => {
  it('two changes from the same current password at once: one is set, the other is refused as a wrong current password', async () => {
    const user = await withPassword('Twice');
    signInAs(user);
    const passwords = ['first new password', 'second new password'];
    const results = await withWritesHeld('User', 2, () =>
      Promise.allSettled(passwords.map((newPassword) => changePassword({ currentPassword: PASSWORD, newPassword }))),
    );
    expect(fulfilled(results)).toHaveLength(1);
    expect(rejected(results).map((r) => r.reason)).toMatchObject([{ code: 'validation_failed', message: ACCOUNT_TEXT.wrongCurrentPassword }]);
    // The password set is the one the winner was told of, and the session it was re-issued is the current one.
    const winner = passwords[results.findIndex((r) => r.status === 'fulfilled')];
    expect(await authenticate(user.email, winner)).toMatchObject({ id: user.id, sessionVersion: 1 });
    expect(fulfilled(results)[0].value).toMatchObject({ sessionVersion: 1 });
    expect(await db.auditEvent.count({ where: { action: 'account.password_changed', targetId: user.id } })).toBe(1);
  });

  it('one reset link used twice at once sets one password', async () => {
    const person = await withPassword('Reset');
    const membership = await db.membership.create({ data: { projectId: team.projectId, userId: person.id, role: 'MEMBER' } });
    signInAs(team.owner);
    const { token } = await createPasswordResetLink(team.projectId, membership.id);
    signInAs(null);
    const passwords = ['first reset password', 'second reset password'];
    const results = await withWritesHeld('PasswordReset', 2, () => Promise.allSettled(passwords.map((password) => resetPasswordWithLink(token, password))));
    expect(fulfilled(results)).toHaveLength(1);
    expect(rejected(results).map((r) => r.reason)).toMatchObject([{ code: 'validation_failed', message: ACCOUNT_TEXT.resetLinkInvalid }]);
    expect(await authenticate(person.email, passwords[results.findIndex((r) => r.status === 'fulfilled')])).toMatchObject({ sessionVersion: 1 });
  });
});

describe('the second factor', () => {
  it('restarting the setup while it is being confirmed never swaps the secret of the second factor that is on', async () => {
    const user = await withPassword('Restart');
    signInAs(user);
    const { secret } = await startSecondFactorSetup();
    const [confirmed, restarted] = await withWritesHeld('RecoveryCode', 2, async (untilWaiting) => {
      const confirming = confirmSecondFactor(codeOf(secret));
      await untilWaiting(1); // the confirmation has turned the factor on, not yet committed
      return Promise.allSettled([confirming, startSecondFactorSetup()]);
    });
    expect([confirmed.status, restarted.status].sort()).toEqual(['fulfilled', 'rejected']);
    const row = await db.user.findUniqueOrThrow({ where: { id: user.id }, select: { totpEnabledAt: true, totpSecret: true } });
    const on = row.totpEnabledAt !== null;
    // On: with the secret the authenticator app confirmed. Off: the restarted setup waits for its confirmation.
    expect({ on, secret: openTotpSecret(user.id, row.totpSecret!).base32 }).toEqual({
      on,
      secret: on ? secret : (restarted as PromiseFulfilledResult<{ secret: string }>).value.secret,
    });
    expect(((on ? restarted : confirmed) as PromiseRejectedResult).reason).toMatchObject({
      code: 'conflict',
      message: on ? ACCOUNT_TEXT.alreadyOn : ACCOUNT_TEXT.noEnrolment,
    });
  });

  it('one recovery code redeemed twice at once passes once', async () => {
    const user = await withPassword('Recover');
    signInAs(user);
    const { secret } = await startSecondFactorSetup();
    const { recoveryCodes } = await confirmSecondFactor(codeOf(secret));
    const actor = { userId: user.id, label: user.email, ip: null };
    const results = await withWritesHeld('RecoveryCode', 2, () => Promise.all([0, 1].map(() => redeemSecondFactorCode(actor, recoveryCodes[0]))));
    expect(results.sort()).toEqual([false, true]);
    expect(await db.recoveryCode.count({ where: { userId: user.id, usedAt: null } })).toBe(9);
    expect(await db.auditEvent.count({ where: { action: 'account.recovery_code_used', targetId: user.id } })).toBe(1);
  });
});
