import { createHash, randomUUID } from 'node:crypto';
import { Secret, TOTP } from 'otpauth';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { changePasswordAction, confirmSecondFactorAction } from '@/lib/account/actions';
import { changePassword, confirmSecondFactor, disableSecondFactor, resetPasswordWithLink, startSecondFactorSetup } from '@/lib/account/mutations';
import { accountSettings, findPasswordReset } from '@/lib/account/queries';
import { ACCOUNT_TEXT } from '@/lib/account/schemas';
import { openTotpSecret } from '@/lib/auth/second-factor';
import {
  authenticate,
  authOptions,
  SECOND_FACTOR_INVALID,
  SECOND_FACTOR_REQUIRED,
  SIGN_IN_FAILED,
  signInOrFailClean,
  signInWithCredentials,
  TOO_MANY_ATTEMPTS,
} from '@/lib/auth/sign-in';
import { hashPassword } from '@/lib/auth/password';
import { IntegrityError } from '@/lib/crypto/envelope';
import { db } from '@/lib/db';
import { hashLinkToken } from '@/lib/link-token';
import { createPasswordResetLinkAction } from '@/lib/members/actions';
import { createPasswordResetLink } from '@/lib/members/mutations';
import { listMembers } from '@/lib/members/queries';
import { RESET_TEXT } from '@/lib/members/schemas';
import { setSecondFactorRequirementAction } from '@/lib/projects/actions';
import { setSecondFactorRequirement } from '@/lib/projects/mutations';
import { findProjectBySlug, secondFactorPolicy } from '@/lib/projects/queries';
import { OWN_SECOND_FACTOR_FIRST } from '@/lib/projects/schemas';
import { deniedMessage } from '@/lib/permissions';

const REQUIRE_SECOND_FACTOR_DENIED = deniedMessage('requireSecondFactor');
import { createSecret } from '@/lib/secrets/mutations';
import { listSecrets } from '@/lib/secrets/queries';
import { getSessionUser, SECOND_FACTOR_MISSING } from '@/lib/session';
import { migrateTestDatabase, storedBytes } from './support/db';
import { environmentId, expectAppError, makeTeam, makeUser, type Team, type User } from './support/fixtures';
import { signInAs } from './support/session';

// Every sign-in runs scrypt (~280 ms, on purpose): a dozen of them on a busy 2-core
// machine take far longer than the default 30 s, so these tests get room.
vi.setConfig({ testTimeout: 240_000 });

// Second factor, password change and owner reset links on a real SQLite
// database. Time is fixed (only Date is faked) so TOTP steps are exact.

const PASSWORD = 'correct horse battery staple';
const STEP_MS = 30_000;
/** The middle of a TOTP step, far from its edges. */
const T0 = Math.floor(Date.UTC(2026, 11, 2, 9) / STEP_MS) * STEP_MS + STEP_MS / 2;

/** Every password, code, secret and token the tests use: none may be stored in the clear or in an audit event. */
const canaries = new Set<string>([PASSWORD]);

let team: Team;

const codeAt = (secret: string, offsetSteps = 0) => TOTP.generate({ secret: Secret.fromBase32(secret), timestamp: Date.now() + offsetSteps * STEP_MS });
const nextStep = () => vi.setSystemTime(Date.now() + STEP_MS);
let ipCounter = 0;
const freshIp = () => `198.51.100.${++ipCounter}`;

async function withPassword(user: User, password = PASSWORD): Promise<User> {
  await db.user.update({ where: { id: user.id }, data: { passwordHash: await hashPassword(password) } });
  return user;
}

/** A user with a password and an enabled second factor; returns the secret (base32) and recovery codes. */
async function userWithSecondFactor(name: string) {
  const user = await withPassword(await makeUser(name));
  signInAs(user);
  const { secret } = await startSecondFactorSetup();
  const { recoveryCodes } = await confirmSecondFactor(codeAt(secret));
  nextStep(); // the confirming code's step is used up
  canaries.add(secret);
  recoveryCodes.forEach((code) => canaries.add(code));
  return { user, secret, recoveryCodes };
}

const signInCall = (user: User, code?: string, ip = '203.0.113.9', password = PASSWORD) => signInWithCredentials({ email: user.email, password, code }, ip);

async function expectSignInError(promise: Promise<unknown>, message: string) {
  await expect(promise).rejects.toThrow(new Error(message));
}

const auditOf = (action: string, targetId: string) => db.auditEvent.findMany({ where: { action, targetId } });

beforeAll(async () => {
  await migrateTestDatabase();
  team = await makeTeam('Accounts');
});

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(T0 + ipCounter * 10 * STEP_MS); // each test starts in a later step
  signInAs(null);
});
afterEach(() => vi.useRealTimers());

describe('setting up a second factor', () => {
  it('shows a secret, an otpauth URI and a QR code, and stores the secret sealed under the master key for this user only', async () => {
    const user = await makeUser('Enrol');
    signInAs(user);
    const setup = await startSecondFactorSetup();
    canaries.add(setup.secret);
    expect(setup.secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(setup.uri).toBe(`otpauth://totp/Keyhold:${encodeURIComponent(user.email)}?issuer=Keyhold&secret=${setup.secret}&algorithm=SHA1&digits=6&period=30`);
    expect(setup.qrCode).toMatch(/^data:image\/svg\+xml;base64,/);
    expect(Buffer.from(setup.qrCode.split(',')[1], 'base64').toString()).toContain('<svg');

    const row = await db.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(row.totpEnabledAt).toBeNull();
    const blob = Buffer.from(row.totpSecret!);
    expect(blob.includes(Buffer.from(Secret.fromBase32(setup.secret).buffer as ArrayBuffer))).toBe(false);
    expect(openTotpSecret(user.id, blob).base32).toBe(setup.secret);
    // Bound to its user: the same blob under another user's id does not open.
    expect(() => openTotpSecret(team.owner.id, blob)).toThrow(IntegrityError);
    expect(await accountSettings()).toMatchObject({ secondFactor: null });
  });

  it('is not on until a valid code confirms it; then gives 10 different recovery codes, stored only hashed', async () => {
    const user = await makeUser('Confirm');
    signInAs(user);
    const { secret } = await startSecondFactorSetup();
    canaries.add(secret);

    expect(await confirmSecondFactorAction({ code: '12345' })).toEqual({
      ok: false,
      error: 'Enter the 6-digit code from your authenticator app',
      code: 'validation_failed',
      fieldErrors: { code: 'Enter the 6-digit code from your authenticator app' },
    });
    const wrong = String((Number(codeAt(secret)) + 1) % 1_000_000).padStart(6, '0');
    expect(await confirmSecondFactorAction({ code: wrong })).toEqual({
      ok: false,
      error: ACCOUNT_TEXT.wrongEnrolmentCode,
      code: 'validation_failed',
      fieldErrors: { code: ACCOUNT_TEXT.wrongEnrolmentCode },
    });
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).totpEnabledAt).toBeNull();

    const result = await confirmSecondFactorAction({ code: codeAt(secret) });
    expect(result.ok).toBe(true);
    const codes = result.ok ? result.data.recoveryCodes : [];
    codes.forEach((code) => canaries.add(code));
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    // 80 random bits each: 16 base32 characters in groups of four.
    codes.forEach((code) => expect(code).toMatch(/^[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}$/));
    const stored = await db.recoveryCode.findMany({ where: { userId: user.id } });
    expect(stored).toHaveLength(10);
    for (const code of codes) expect(stored.some((r) => r.codeHash.includes(code.replaceAll('-', '')))).toBe(false);
    // Stored as the SHA-256 of the code without dashes, lower case.
    expect(stored.map((r) => r.codeHash).sort()).toEqual(codes.map((c) => createHash('sha256').update(c.replaceAll('-', '')).digest('hex')).sort());

    expect(await accountSettings()).toMatchObject({ secondFactor: { recoveryCodesLeft: 10 } });
    expect(await auditOf('account.second_factor_enabled', user.id)).toMatchObject([{ projectId: null, actorId: user.id }]);
    // Once on, a new setup is refused (it would replace the secret in force).
    await expectAppError(startSecondFactorSetup(), 'conflict', ACCOUNT_TEXT.alreadyOn);
  });

  it('refuses a signed-out caller', async () => {
    await expectAppError(startSecondFactorSetup(), 'unauthenticated');
    await expectAppError(confirmSecondFactor('000000'), 'unauthenticated');
  });

  it('throttles confirming codes per account like sign-in: after 10 wrong ones even the right code is refused', async () => {
    const user = await makeUser('Confirm throttle');
    signInAs(user);
    const { secret } = await startSecondFactorSetup();
    canaries.add(secret);
    const wrong = String((Number(codeAt(secret)) + 1) % 1_000_000).padStart(6, '0');
    for (let i = 0; i < 10; i++) await expectAppError(confirmSecondFactor(wrong), 'validation_failed', ACCOUNT_TEXT.wrongEnrolmentCode);
    await expectAppError(confirmSecondFactor(codeAt(secret)), 'rate_limited', ACCOUNT_TEXT.tooManyAttempts);
    expect(await confirmSecondFactorAction({ code: codeAt(secret) })).toMatchObject({ ok: false, error: ACCOUNT_TEXT.tooManyAttempts });
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).totpEnabledAt).toBeNull();
    // Another account is not affected.
    const other = await makeUser('Confirm unthrottled');
    signInAs(other);
    const otherSetup = await startSecondFactorSetup();
    canaries.add(otherSetup.secret);
    (await confirmSecondFactor(codeAt(otherSetup.secret))).recoveryCodes.forEach((c) => canaries.add(c));
  });

  it('a confirmed code clears the count, so sign-in codes get the whole budget afterwards', async () => {
    const user = await withPassword(await makeUser('ConfirmClears'));
    signInAs(user);
    const { secret } = await startSecondFactorSetup();
    canaries.add(secret);
    const wrong = String((Number(codeAt(secret)) + 1) % 1_000_000).padStart(6, '0');
    for (let i = 0; i < 9; i++) await expectAppError(confirmSecondFactor(wrong), 'validation_failed', ACCOUNT_TEXT.wrongEnrolmentCode);
    (await confirmSecondFactor(codeAt(secret))).recoveryCodes.forEach((c) => canaries.add(c));
    nextStep();
    for (let i = 0; i < 9; i++) await expectSignInError(signInCall(user, wrong, freshIp()), SECOND_FACTOR_INVALID);
    await expect(signInCall(user, codeAt(secret), freshIp())).resolves.toMatchObject({ id: user.id });
  });
});

describe('signing in with a second factor', () => {
  it('an unexpected failure (a second-factor secret failing its integrity check) reaches the browser only as SignInFailed', async () => {
    const { user, secret } = await userWithSecondFactor('Corrupted');
    const stored = (await db.user.findUniqueOrThrow({ where: { id: user.id }, select: { totpSecret: true } })).totpSecret!;
    const flipped = Buffer.from(stored);
    flipped[flipped.length - 1] ^= 1;
    await db.user.update({ where: { id: user.id }, data: { totpSecret: flipped } });
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      await expectSignInError(signInOrFailClean({ email: user.email, password: PASSWORD, code: codeAt(secret) }, freshIp()), SIGN_IN_FAILED);
      const lines = logged.mock.calls.flat().map(String).join('\n');
      expect(lines).toContain('sign-in failed');
      expect(lines).not.toContain(user.id);
    } finally {
      logged.mockRestore();
    }
    // The named answers still pass through as they are.
    await expectSignInError(signInOrFailClean({ email: user.email, password: PASSWORD }, freshIp()), SECOND_FACTOR_REQUIRED);
  });

  it('asks for a code only once the password is right', async () => {
    const { user } = await userWithSecondFactor('Ask');
    await expect(signInCall(user, undefined, freshIp(), 'wrong password here')).resolves.toBeNull();
    await expect(signInCall(user, '123456', freshIp(), 'wrong password here')).resolves.toBeNull();
    await expectSignInError(signInCall(user, undefined, freshIp()), SECOND_FACTOR_REQUIRED);
    await expectSignInError(signInCall(user, '', freshIp()), SECOND_FACTOR_REQUIRED);
    // Without a second factor, the password alone signs in.
    const plain = await withPassword(await makeUser('Plain'));
    await expect(signInCall(plain, undefined, freshIp())).resolves.toMatchObject({ id: plain.id, secondFactor: false });
  });

  it("next-auth's authorize runs the same check with the client address the server stamped", async () => {
    const { user, secret } = await userWithSecondFactor('Authorize');
    const provider = authOptions().providers[0] as unknown as {
      options: { authorize: (credentials: Record<string, string>, req: { headers: Record<string, string> }) => Promise<unknown> };
    };
    const req = { headers: { 'x-keyhold-client-ip': freshIp() } };
    await expectSignInError(provider.options.authorize({ email: user.email, password: PASSWORD, code: '' }, req), SECOND_FACTOR_REQUIRED);
    await expect(provider.options.authorize({ email: user.email, password: PASSWORD, code: codeAt(secret) }, req)).resolves.toMatchObject({ id: user.id });
  });

  it('accepts the current code and ±1 step of drift, refuses a wrong, an older or a replayed code', async () => {
    const { user, secret } = await userWithSecondFactor('Drift');
    nextStep(); // so that the step before now is not the one the setup used
    const wrong = String((Number(codeAt(secret)) + 1) % 1_000_000).padStart(6, '0');
    await expectSignInError(signInCall(user, wrong, freshIp()), SECOND_FACTOR_INVALID);
    await expectSignInError(signInCall(user, codeAt(secret, -2), freshIp()), SECOND_FACTOR_INVALID);
    await expectSignInError(signInCall(user, codeAt(secret, 2), freshIp()), SECOND_FACTOR_INVALID);

    await expect(signInCall(user, codeAt(secret, -1), freshIp())).resolves.toMatchObject({ id: user.id });
    const current = codeAt(secret);
    await expect(signInCall(user, ` ${current.slice(0, 3)} ${current.slice(3)} `, freshIp())).resolves.toMatchObject({ id: user.id });
    await expectSignInError(signInCall(user, current, freshIp()), SECOND_FACTOR_INVALID); // replayed
    await expect(signInCall(user, codeAt(secret, 1), freshIp())).resolves.toMatchObject({ id: user.id });
    // The step before the last one used is refused even though it is within the window.
    nextStep();
    await expectSignInError(signInCall(user, codeAt(secret, -1), freshIp()), SECOND_FACTOR_INVALID);
  });

  it('two sign-ins racing with one code: exactly one passes', async () => {
    const { user, secret } = await userWithSecondFactor('Race');
    const code = codeAt(secret);
    const results = await Promise.allSettled([signInCall(user, code, freshIp()), signInCall(user, code, freshIp())]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
  });

  it('a recovery code works once, is recorded without its value, and counts down', async () => {
    const { user, recoveryCodes } = await userWithSecondFactor('Recover');
    const [first, second] = recoveryCodes;
    await expect(signInCall(user, first.toUpperCase(), freshIp())).resolves.toMatchObject({ id: user.id });
    await expectSignInError(signInCall(user, first, freshIp()), SECOND_FACTOR_INVALID);
    await expect(signInCall(user, second.replaceAll('-', ''), freshIp())).resolves.toMatchObject({ id: user.id });
    await expectSignInError(signInCall(user, 'abcd-efgh-ijkl-mnop', freshIp()), SECOND_FACTOR_INVALID);
    // Spaces instead of dashes, upper case: the same code.
    const [, , third] = recoveryCodes;
    await expect(signInCall(user, ` ${third.replaceAll('-', ' ').toUpperCase()} `, freshIp())).resolves.toMatchObject({ id: user.id });

    const events = await db.auditEvent.findMany({ where: { action: 'account.recovery_code_used', targetId: user.id }, orderBy: { createdAt: 'asc' } });
    expect(events.map((e) => JSON.parse(e.details))).toEqual([{ remaining: 9 }, { remaining: 8 }, { remaining: 7 }]);
    expect(events.every((e) => e.projectId === null && e.ip !== null)).toBe(true);
    signInAs(user);
    expect(await accountSettings()).toMatchObject({ secondFactor: { recoveryCodesLeft: 7 } });
  });

  it('throttles code guesses per account across addresses, even with the right password and then the right code', async () => {
    const { user, secret } = await userWithSecondFactor('Throttle');
    const wrong = String((Number(codeAt(secret)) + 1) % 1_000_000).padStart(6, '0');
    for (let i = 0; i < 10; i++) await expectSignInError(signInCall(user, wrong, freshIp()), SECOND_FACTOR_INVALID);
    await expectSignInError(signInCall(user, codeAt(secret), freshIp()), TOO_MANY_ATTEMPTS);
    // Another account is not affected.
    const other = await userWithSecondFactor('Unthrottled');
    await expect(signInCall(other.user, codeAt(other.secret), freshIp())).resolves.toMatchObject({ id: other.user.id });
  });

  it('throttles attempts per email and address before checking anything', async () => {
    const { user, secret } = await userWithSecondFactor('Address');
    const ip = freshIp();
    for (let i = 0; i < 10; i++) await expectSignInError(signInCall(user, undefined, ip), SECOND_FACTOR_REQUIRED);
    await expectSignInError(signInCall(user, codeAt(secret), ip), TOO_MANY_ATTEMPTS);
  });
});

describe('turning the second factor off', () => {
  it('needs the password and a current code; then sign-in needs the password only', async () => {
    const { user, secret } = await userWithSecondFactor('Disable');
    signInAs(user);
    const error = await expectAppError(disableSecondFactor({ password: 'not the password', code: codeAt(secret) }), 'validation_failed');
    expect(error.fieldErrors).toEqual({ password: ACCOUNT_TEXT.wrongPassword });
    const wrongCode = await expectAppError(
      disableSecondFactor({ password: PASSWORD, code: '000000' === codeAt(secret) ? '111111' : '000000' }),
      'validation_failed',
    );
    expect(wrongCode.fieldErrors).toEqual({ code: ACCOUNT_TEXT.wrongCode });
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).totpEnabledAt).not.toBeNull();

    await disableSecondFactor({ password: PASSWORD, code: codeAt(secret) });
    const row = await db.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(row).toMatchObject({ totpEnabledAt: null, totpSecret: null, totpLastStep: null });
    expect(await db.recoveryCode.count({ where: { userId: user.id } })).toBe(0);
    expect(await auditOf('account.second_factor_disabled', user.id)).toHaveLength(1);
    await expect(signInCall(user, undefined, freshIp())).resolves.toMatchObject({ id: user.id });
    await expectAppError(disableSecondFactor({ password: PASSWORD, code: codeAt(secret) }), 'conflict', ACCOUNT_TEXT.notOn);
  });
});

describe('a project that requires a second factor', () => {
  it('only an owner with a second factor turns it on; members without one are refused by the data layer until they set one up', async () => {
    const { projectId, otherProjectId, owner, admin, member } = team;
    const production = await environmentId(projectId, 'production');
    await withPassword(owner);

    signInAs(admin);
    await expectAppError(setSecondFactorRequirement(projectId, true), 'forbidden', REQUIRE_SECOND_FACTOR_DENIED);
    signInAs(member);
    await expectAppError(setSecondFactorRequirement(projectId, true), 'forbidden', REQUIRE_SECOND_FACTOR_DENIED);
    signInAs(owner);
    expect(await setSecondFactorRequirementAction(projectId, { required: true })).toEqual({
      ok: false,
      error: OWN_SECOND_FACTOR_FIRST,
      code: 'validation_failed',
      fieldErrors: { required: OWN_SECOND_FACTOR_FIRST },
    });
    expect((await db.project.findUniqueOrThrow({ where: { id: projectId } })).requireSecondFactor).toBe(false);

    const { secret } = await startSecondFactorSetup();
    canaries.add(secret);
    (await confirmSecondFactor(codeAt(secret))).recoveryCodes.forEach((c) => canaries.add(c));
    expect(await setSecondFactorRequirementAction(projectId, { required: true })).toEqual({ ok: true, data: undefined });
    expect(await secondFactorPolicy(projectId)).toEqual({ required: true, ownerHasSecondFactor: true, membersWithout: 2 });
    expect(await auditOf('project.second_factor_required', projectId)).toMatchObject([{ projectId, actorId: owner.id, details: '{"required":true}' }]);
    await listSecrets(projectId, production); // the owner has one: allowed

    signInAs(admin);
    await expectAppError(listSecrets(projectId, production), 'forbidden', SECOND_FACTOR_MISSING);
    await expectAppError(
      createSecret(projectId, production, { key: 'REFUSED', value: 'v', description: '', type: 'OTHER' }),
      'forbidden',
      SECOND_FACTOR_MISSING,
    );
    expect(await db.secret.count({ where: { projectId, key: 'REFUSED' } })).toBe(0);
    const slug = (await db.project.findUniqueOrThrow({ where: { id: projectId } })).slug;
    expect(await findProjectBySlug(slug)).toMatchObject({ secondFactorMissing: true });
    signInAs(member);
    expect(await findProjectBySlug(slug)).toMatchObject({ secondFactorMissing: true });

    // Setting one up opens the project again.
    signInAs(admin);
    const adminSetup = await startSecondFactorSetup();
    canaries.add(adminSetup.secret);
    (await confirmSecondFactor(codeAt(adminSetup.secret))).recoveryCodes.forEach((c) => canaries.add(c));
    await expect(listSecrets(projectId, production)).resolves.toBeDefined();

    // Another project is not affected; turning it off is audited and lets members back in.
    signInAs(team.outsider);
    await expect(listSecrets(otherProjectId, await environmentId(otherProjectId, 'production'))).resolves.toBeDefined();
    signInAs(owner);
    const { members } = await listMembers(projectId);
    expect(Object.fromEntries(members.map((m) => [m.userId, m.secondFactor]))).toMatchObject({ [owner.id]: true, [admin.id]: true, [member.id]: false });
    await setSecondFactorRequirement(projectId, false);
    await setSecondFactorRequirement(projectId, false); // unchanged: no second event
    expect((await auditOf('project.second_factor_required', projectId)).map((e) => e.details)).toEqual(['{"required":true}', '{"required":false}']);
    signInAs(member);
    expect(await findProjectBySlug(slug)).toMatchObject({ secondFactorMissing: false });
  });
});

describe('changing the password', () => {
  it('refuses a wrong current password and changes nothing', async () => {
    const user = await withPassword(await makeUser('Wrong'));
    signInAs(user);
    const before = await db.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(await changePasswordAction({ currentPassword: 'not it at all', newPassword: 'a brand new password' })).toEqual({
      ok: false,
      error: ACCOUNT_TEXT.wrongCurrentPassword,
      code: 'validation_failed',
      fieldErrors: { currentPassword: ACCOUNT_TEXT.wrongCurrentPassword },
    });
    expect(await changePasswordAction({ currentPassword: PASSWORD, newPassword: 'short' })).toEqual({
      ok: false,
      error: 'Password must be at least 12 characters',
      code: 'validation_failed',
      fieldErrors: { newPassword: 'Password must be at least 12 characters' },
    });
    await expectAppError(changePassword({ currentPassword: PASSWORD, newPassword: PASSWORD }), 'validation_failed', ACCOUNT_TEXT.samePassword);
    const after = await db.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(after).toMatchObject({ passwordHash: before.passwordHash, sessionVersion: before.sessionVersion });
    expect(await auditOf('account.password_changed', user.id)).toHaveLength(0);
  });

  it('sets the new password and ends every session issued before it', async () => {
    const user = await withPassword(await makeUser('Change'));
    const newPassword = `new password ${randomUUID()}`;
    canaries.add(newPassword);
    signInAs(user, 0);
    const session = await changePassword({ currentPassword: PASSWORD, newPassword });
    expect(session).toEqual({ id: user.id, name: user.name, email: user.email, sessionVersion: 1 });
    expect(await getSessionUser()).toBeNull(); // this token (version 0) and every other one is over
    signInAs(user, 1); // the re-issued session carries the new version
    expect(await getSessionUser()).toMatchObject({ id: user.id });
    expect(await authenticate(user.email, PASSWORD)).toBeNull();
    expect(await authenticate(user.email, newPassword)).toMatchObject({ id: user.id });
    expect(await auditOf('account.password_changed', user.id)).toMatchObject([{ projectId: null, actorId: user.id }]);
  });
});

describe('password reset links', () => {
  it('an owner makes a one-hour, one-time link; using it sets the password and ends the member’s sessions, keeping the second factor', async () => {
    const { owner, projectId } = team;
    const { user: person, secret } = await userWithSecondFactor('Resettable');
    const membership = await db.membership.create({ data: { projectId, userId: person.id, role: 'MEMBER' } });
    signInAs(owner);
    const { token } = await createPasswordResetLink(projectId, membership.id);
    canaries.add(token);
    const stored = await db.passwordReset.findUniqueOrThrow({ where: { tokenHash: hashLinkToken(token) } });
    expect(stored.expiresAt.getTime() - Date.now()).toBe(60 * 60_000);
    expect(await auditOf('member.password_reset_link_created', person.id)).toMatchObject([{ projectId, actorId: owner.id, targetLabel: person.email }]);
    expect(await findPasswordReset(token)).toMatchObject({ email: person.email, projectId, userId: person.id });

    signInAs(person, 0);
    expect(await getSessionUser()).not.toBeNull();
    const newPassword = `reset password ${randomUUID()}`;
    canaries.add(newPassword);
    signInAs(null);
    expect(await resetPasswordWithLink(token, newPassword)).toEqual({ email: person.email });
    signInAs(person, 0);
    expect(await getSessionUser()).toBeNull();
    expect(await authenticate(person.email, newPassword)).toMatchObject({ id: person.id, secondFactor: true });
    await expectSignInError(signInCall(person, undefined, freshIp(), newPassword), SECOND_FACTOR_REQUIRED);
    await expect(signInCall(person, codeAt(secret), freshIp(), newPassword)).resolves.toMatchObject({ id: person.id });
    expect(await auditOf('account.password_reset', person.id)).toMatchObject([{ projectId, actorId: person.id }]);

    // One use only.
    await expectAppError(resetPasswordWithLink(token, 'yet another password'), 'validation_failed', ACCOUNT_TEXT.resetLinkInvalid);
    expect(await findPasswordReset(token)).toBeNull();
    expect(await authenticate(person.email, newPassword)).not.toBeNull();
  });

  it('an expired link is refused and changes nothing', async () => {
    const { owner, projectId } = team;
    const person = await withPassword(await makeUser('Expired'));
    const membership = await db.membership.create({ data: { projectId, userId: person.id, role: 'MEMBER' } });
    signInAs(owner);
    const { token } = await createPasswordResetLink(projectId, membership.id);
    canaries.add(token);
    vi.setSystemTime(Date.now() + 60 * 60_000 + 1);
    expect(await findPasswordReset(token)).toBeNull();
    await expectAppError(resetPasswordWithLink(token, 'a password nobody sets'), 'validation_failed', ACCOUNT_TEXT.resetLinkInvalid);
    expect(await authenticate(person.email, PASSWORD)).not.toBeNull();
    expect(await db.user.findUniqueOrThrow({ where: { id: person.id } })).toMatchObject({ sessionVersion: 0 });
    await expectAppError(resetPasswordWithLink('made-up-token', 'a password nobody sets'), 'validation_failed', ACCOUNT_TEXT.resetLinkInvalid);
  });

  it('a link dies when the person leaves the project it was made in', async () => {
    const { owner, projectId } = team;
    const person = await withPassword(await makeUser('Removed'));
    const membership = await db.membership.create({ data: { projectId, userId: person.id, role: 'MEMBER' } });
    signInAs(owner);
    const { token } = await createPasswordResetLink(projectId, membership.id);
    canaries.add(token);
    await db.membership.delete({ where: { id: membership.id } });
    await expectAppError(resetPasswordWithLink(token, 'a password nobody sets'), 'validation_failed', ACCOUNT_TEXT.resetLinkInvalid);
    expect(await authenticate(person.email, PASSWORD)).not.toBeNull();
  });

  it('a link dies when the person joins a project its maker does not own, or its maker is no longer an owner', async () => {
    const { owner, projectId, otherProjectId } = team;
    const joiner = await withPassword(await makeUser('Joiner'));
    const joinerMembership = await db.membership.create({ data: { projectId, userId: joiner.id, role: 'MEMBER' } });
    signInAs(owner);
    const joined = await createPasswordResetLink(projectId, joinerMembership.id);
    canaries.add(joined.token);
    await db.membership.create({ data: { projectId: otherProjectId, userId: joiner.id, role: 'OWNER' } });
    await expectAppError(resetPasswordWithLink(joined.token, 'a password nobody sets'), 'validation_failed', ACCOUNT_TEXT.resetLinkInvalid);
    expect(await authenticate(joiner.email, PASSWORD)).not.toBeNull();

    const coOwner = await withPassword(await makeUser('Co-owner'));
    await db.membership.create({ data: { projectId, userId: coOwner.id, role: 'OWNER' } });
    const target = await withPassword(await makeUser('Target'));
    const targetMembership = await db.membership.create({ data: { projectId, userId: target.id, role: 'MEMBER' } });
    signInAs(coOwner);
    const demoted = await createPasswordResetLink(projectId, targetMembership.id);
    canaries.add(demoted.token);
    await db.membership.update({ where: { userId_projectId: { userId: coOwner.id, projectId } }, data: { role: 'MEMBER' } });
    await expectAppError(resetPasswordWithLink(demoted.token, 'a password nobody sets'), 'validation_failed', ACCOUNT_TEXT.resetLinkInvalid);
    expect(await authenticate(target.email, PASSWORD)).not.toBeNull();
  });

  it('only an owner of every project of the person can make one, never for themselves or another project’s member', async () => {
    const { owner, admin, member, outsider, projectId, otherProjectId } = team;
    const memberMembership = await db.membership.findFirstOrThrow({ where: { projectId, userId: member.id } });
    const outsiderMembership = await db.membership.findFirstOrThrow({ where: { projectId: otherProjectId, userId: outsider.id } });
    const ownerMembership = await db.membership.findFirstOrThrow({ where: { projectId, userId: owner.id } });

    signInAs(admin);
    expect(await createPasswordResetLinkAction(projectId, memberMembership.id)).toEqual({
      ok: false,
      error: deniedMessage('resetPasswords'),
      code: 'forbidden',
    });
    signInAs(member);
    await expectAppError(createPasswordResetLink(projectId, memberMembership.id), 'forbidden', deniedMessage('resetPasswords'));
    signInAs(null);
    await expectAppError(createPasswordResetLink(projectId, memberMembership.id), 'unauthenticated');
    signInAs(owner);
    await expectAppError(createPasswordResetLink(projectId, outsiderMembership.id), 'not_found');
    await expectAppError(createPasswordResetLink(otherProjectId, outsiderMembership.id), 'forbidden');
    await expectAppError(createPasswordResetLink(projectId, ownerMembership.id), 'validation_failed', RESET_TEXT.self);

    // A person who also belongs to a project this owner does not own: refused.
    const shared = await makeUser('Shared');
    const sharedHere = await db.membership.create({ data: { projectId, userId: shared.id, role: 'MEMBER' } });
    await db.membership.create({ data: { projectId: otherProjectId, userId: shared.id, role: 'OWNER' } });
    await expectAppError(createPasswordResetLink(projectId, sharedHere.id), 'forbidden', RESET_TEXT.otherProjects);
    expect(await db.passwordReset.count({ where: { userId: { in: [member.id, outsider.id, owner.id, shared.id] } } })).toBe(0);

    // The plain member can be reset; a second link replaces the first.
    const first = await createPasswordResetLink(projectId, memberMembership.id);
    const second = await createPasswordResetLink(projectId, memberMembership.id);
    canaries.add(first.token).add(second.token);
    expect(await findPasswordReset(first.token)).toBeNull();
    expect(await findPasswordReset(second.token)).toMatchObject({ email: member.email });
  });
});

describe('nothing secret is stored in the clear or audited', () => {
  it('no password, code, TOTP secret or link token in any audit event or in the database file', async () => {
    const events = JSON.stringify(await db.auditEvent.findMany());
    expect(events).toContain('account.'); // the events are there
    const stored = await storedBytes();
    expect(canaries.size).toBeGreaterThan(20);
    for (const canary of canaries) {
      expect(events).not.toContain(canary);
      expect(stored.some((bytes) => bytes.includes(Buffer.from(canary)))).toBe(false);
    }
  });
});
