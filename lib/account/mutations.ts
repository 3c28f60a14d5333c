import 'server-only';
import {
  enrolmentDetails,
  newTotpSecret,
  openTotpSecret,
  redeemSecondFactorCode,
  replaceRecoveryCodes,
  sealTotpSecret,
  totpStep,
} from '@/lib/auth/second-factor';
import { findPasswordReset } from '@/lib/account/queries';
import { ACCOUNT_TEXT } from '@/lib/account/schemas';
import { recordAudit } from '@/lib/audit/mutations';
import { clearSecondFactorAttempts, consumePasswordAttempt, consumeSecondFactorAttempt } from '@/lib/auth/sign-in';
import { hashPassword, verifyPassword } from '@/lib/auth/password';
import { db } from '@/lib/db';
import { AppError, conflict, invalid } from '@/lib/errors';
import { clientIp } from '@/lib/request';
import { currentActor, type Actor } from '@/lib/session';

// The signed-in person's own account: second factor and password. Account
// events belong to no project (projectId null): they are recorded once, with
// the person as actor, whatever projects they are in.

const tooManyAttempts = () => new AppError('rate_limited', ACCOUNT_TEXT.tooManyAttempts);

async function accountOf(actor: Actor) {
  return db.user.findUniqueOrThrow({
    where: { id: actor.userId },
    select: { id: true, name: true, email: true, passwordHash: true, totpEnabledAt: true, totpSecret: true },
  });
}

/** Checks the password of the signed-in person, throttled like sign-in; a wrong one is a field error on `field`. */
async function checkPassword(actor: Actor, hash: string, password: string, field: string, message: string): Promise<void> {
  if (!(await consumePasswordAttempt(actor.ip ?? 'unknown', actor.label))) throw tooManyAttempts();
  if (!(await verifyPassword(password, hash))) throw invalid(message, { [field]: message });
}

/** Starts (or restarts) setting up a second factor: a new secret, sealed, not in force until confirmed with a code. */
export async function startSecondFactorSetup(): Promise<{ secret: string; uri: string; qrCode: string }> {
  const actor = await currentActor();
  const user = await accountOf(actor);
  if (user.totpEnabledAt) throw conflict(ACCOUNT_TEXT.alreadyOn);
  const secret = newTotpSecret();
  // Only while it is off: a confirmation committed meanwhile (another tab) keeps the secret it confirmed.
  const restarted = await db.user.updateMany({
    where: { id: user.id, totpEnabledAt: null },
    data: { totpSecret: sealTotpSecret(user.id, secret), totpLastStep: null },
  });
  if (restarted.count === 0) throw conflict(ACCOUNT_TEXT.alreadyOn);
  return enrolmentDetails(user.email, secret);
}

/** Turns the second factor on with a code from the new secret; returns the 10 recovery codes (shown once). */
export async function confirmSecondFactor(code: string): Promise<{ recoveryCodes: string[] }> {
  const actor = await currentActor();
  const user = await accountOf(actor);
  if (user.totpEnabledAt) throw conflict(ACCOUNT_TEXT.alreadyOn);
  if (!user.totpSecret) throw invalid(ACCOUNT_TEXT.noEnrolment);
  // Counted like sign-in codes (per account): guesses here would otherwise be free.
  if (!(await consumeSecondFactorAttempt(user.id))) throw tooManyAttempts();
  const step = totpStep(openTotpSecret(user.id, user.totpSecret), code);
  if (step === null) throw invalid(ACCOUNT_TEXT.wrongEnrolmentCode, { code: ACCOUNT_TEXT.wrongEnrolmentCode });
  const result = await db.$transaction(async (tx) => {
    // Only the secret the code was checked against: a restarted setup in another tab changes it.
    const enabled = await tx.user.updateMany({
      where: { id: user.id, totpEnabledAt: null, totpSecret: user.totpSecret },
      data: { totpEnabledAt: new Date(), totpLastStep: step },
    });
    if (enabled.count === 0) throw conflict(ACCOUNT_TEXT.noEnrolment);
    const recoveryCodes = await replaceRecoveryCodes(tx, user.id);
    await recordAudit(tx, actor, { projectId: null, action: 'account.second_factor_enabled', targetType: 'user', targetId: user.id, targetLabel: user.email });
    return { recoveryCodes };
  });
  await clearSecondFactorAttempts(user.id);
  return result;
}

/** Turns the second factor off: needs the password and a current code (or a recovery code). */
export async function disableSecondFactor(input: { password: string; code: string }): Promise<void> {
  const actor = await currentActor();
  const user = await accountOf(actor);
  if (!user.totpEnabledAt) throw conflict(ACCOUNT_TEXT.notOn);
  await checkPassword(actor, user.passwordHash, input.password, 'password', ACCOUNT_TEXT.wrongPassword);
  if (!(await consumeSecondFactorAttempt(user.id))) throw tooManyAttempts();
  if (!(await redeemSecondFactorCode(actor, input.code))) throw invalid(ACCOUNT_TEXT.wrongCode, { code: ACCOUNT_TEXT.wrongCode });
  await db.$transaction(async (tx) => {
    await tx.user.update({ where: { id: user.id }, data: { totpSecret: null, totpEnabledAt: null, totpLastStep: null } });
    await tx.recoveryCode.deleteMany({ where: { userId: user.id } });
    await recordAudit(tx, actor, { projectId: null, action: 'account.second_factor_disabled', targetType: 'user', targetId: user.id, targetLabel: user.email });
  });
}

export type ReissuableSession = { id: string; name: string; email: string; sessionVersion: number };

/**
 * Changes the signed-in person's password and ends all their sessions (the
 * session version moves on). Returns what the caller needs to issue this
 * browser a new session.
 */
export async function changePassword(input: { currentPassword: string; newPassword: string }): Promise<ReissuableSession> {
  const actor = await currentActor();
  const user = await accountOf(actor);
  await checkPassword(actor, user.passwordHash, input.currentPassword, 'currentPassword', ACCOUNT_TEXT.wrongCurrentPassword);
  if (input.newPassword === input.currentPassword) throw invalid(ACCOUNT_TEXT.samePassword, { newPassword: ACCOUNT_TEXT.samePassword });
  const passwordHash = await hashPassword(input.newPassword);
  return db.$transaction(async (tx) => {
    // Only over the password that was checked: after a change committed meanwhile (another tab, a reset link), the one given is no longer current.
    const changed = await tx.user.updateMany({
      where: { id: user.id, passwordHash: user.passwordHash },
      data: { passwordHash, sessionVersion: { increment: 1 } },
    });
    if (changed.count === 0) throw invalid(ACCOUNT_TEXT.wrongCurrentPassword, { currentPassword: ACCOUNT_TEXT.wrongCurrentPassword });
    await recordAudit(tx, actor, { projectId: null, action: 'account.password_changed', targetType: 'user', targetId: user.id, targetLabel: user.email });
    return tx.user.findUniqueOrThrow({ where: { id: user.id }, select: { id: true, name: true, email: true, sessionVersion: true } });
  });
}

/**
 * Sets a new password through an owner's one-time reset link and ends every
 * session of the person. The second factor stays: a reset link that leaks
 * (it travels through chat or email) does not give the account away alone.
 * Recorded in the project whose owner made the link.
 */
export async function resetPasswordWithLink(token: string, password: string): Promise<{ email: string }> {
  const link = await findPasswordReset(token);
  if (!link) throw invalid(ACCOUNT_TEXT.resetLinkInvalid);
  const passwordHash = await hashPassword(password);
  const ip = await clientIp();
  await db.$transaction(async (tx) => {
    // Claiming the link first makes a second use (or a double submit) fail.
    const claimed = await tx.passwordReset.updateMany({
      where: { id: link.id, usedAt: null, expiresAt: { gt: new Date() } },
      data: { usedAt: new Date() },
    });
    if (claimed.count === 0) throw invalid(ACCOUNT_TEXT.resetLinkInvalid);
    // Any other outstanding link for this person is void once one was used.
    await tx.passwordReset.updateMany({ where: { userId: link.userId, usedAt: null }, data: { usedAt: new Date() } });
    await tx.user.update({ where: { id: link.userId }, data: { passwordHash, sessionVersion: { increment: 1 } } });
    await recordAudit(
      tx,
      { userId: link.userId, label: link.email, ip },
      {
        projectId: link.projectId,
        action: 'account.password_reset',
        targetType: 'user',
        targetId: link.userId,
        targetLabel: link.email,
      },
    );
  });
  return { email: link.email };
}
