import 'server-only';
import { createHash, randomBytes } from 'node:crypto';
import { Secret, TOTP } from 'otpauth';
import QRCode from 'qrcode';
import { recordAudit, type AuditActor } from '@/lib/audit/mutations';
import { open, seal, totpSecretContext } from '@/lib/crypto/envelope';
import { db, type Tx } from '@/lib/db';
import { masterKeyring } from '@/lib/projects/keys';

// The second factor: TOTP (RFC 6238: SHA-1, 6 digits, 30-second steps, as
// every authenticator app reads it) plus one-time recovery codes. The TOTP
// secret is sealed under the master key with the user id as authenticated
// data, so a sealed secret copied to another user's row fails to open.

const ISSUER = 'Keyhold';
const PERIOD = 30;
const DIGITS = 6;
/** Codes of the step before and after the current one are accepted (clock drift). */
const DRIFT_STEPS = 1;
const RECOVERY_CODE_COUNT = 10;

export const newTotpSecret = () => new Secret({ size: 20 });

export function sealTotpSecret(userId: string, secret: Secret) {
  const ring = masterKeyring();
  return seal(ring.keys.get(ring.current)!, ring.current, Buffer.from(secret.buffer as ArrayBuffer), totpSecretContext(userId));
}

export function openTotpSecret(userId: string, blob: Uint8Array): Secret {
  const bytes = open((v) => masterKeyring().keys.get(v), blob, totpSecretContext(userId), `the second factor of user ${userId}`);
  return new Secret({ buffer: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) });
}

/** What an authenticator app needs: the secret in base32, its otpauth:// URI and that URI as a QR code (an SVG data URL). */
export async function enrolmentDetails(email: string, secret: Secret) {
  const uri = new TOTP({ issuer: ISSUER, label: email, secret, digits: DIGITS, period: PERIOD }).toString();
  const svg = await QRCode.toString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 1 });
  return { secret: secret.base32, uri, qrCode: `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}` };
}

/** Spaces and dashes are ignored; recovery codes are case-insensitive. */
const normalizeCode = (code: string) => code.replace(/[\s-]/g, '').toLowerCase();
const isTotpCode = (code: string) => /^\d{6}$/.test(normalizeCode(code));

/** The time step a code belongs to (within the drift window around `now`), or null when it matches none. */
export function totpStep(secret: Secret, code: string, now = Date.now()): number | null {
  const token = normalizeCode(code);
  if (!/^\d{6}$/.test(token)) return null;
  const delta = TOTP.validate({ token, secret, digits: DIGITS, period: PERIOD, timestamp: now, window: DRIFT_STEPS });
  return delta === null ? null : TOTP.counter({ period: PERIOD, timestamp: now }) + delta;
}

const hashRecoveryCode = (code: string) => createHash('sha256').update(normalizeCode(code)).digest('hex');

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567'; // RFC 4648, lower case (no 0, 1, 8, 9 to mistake for letters)

/**
 * A new recovery code: 80 random bits (10 bytes) as 16 base32 characters,
 * shown as `xxxx-xxxx-xxxx-xxxx`. Only a SHA-256 of it is stored; 80 bits
 * are beyond an offline search of that hash should the database leak.
 * Accepted with or without dashes and spaces, in any case (normalizeCode).
 */
function newRecoveryCode(): string {
  const bytes = randomBytes(10);
  let bits = 0n;
  for (const byte of bytes) bits = (bits << 8n) | BigInt(byte);
  let chars = '';
  for (let i = 15; i >= 0; i--) chars += BASE32[Number((bits >> BigInt(i * 5)) & 31n)];
  return chars.match(/.{4}/g)!.join('-');
}

/** Replaces a user's recovery codes with 10 new ones (80 random bits each, shown once as `xxxx-xxxx-xxxx-xxxx`). */
export async function replaceRecoveryCodes(tx: Tx, userId: string): Promise<string[]> {
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
  await tx.recoveryCode.deleteMany({ where: { userId } });
  await tx.recoveryCode.createMany({ data: codes.map((code) => ({ userId, codeHash: hashRecoveryCode(code) })) });
  return codes;
}

/**
 * Checks a code (TOTP or recovery code) against the user's enabled second
 * factor and uses it up: a TOTP time step is accepted once and never an
 * earlier one after it (stored as totpLastStep), a recovery code once.
 * Both claims are conditional updates, so two requests racing with the same
 * code cannot both pass.
 */
export async function redeemSecondFactorCode(actor: AuditActor & { userId: string }, code: string): Promise<boolean> {
  const userId = actor.userId;
  if (isTotpCode(code)) {
    const user = await db.user.findUnique({ where: { id: userId }, select: { totpSecret: true, totpEnabledAt: true } });
    if (!user?.totpSecret || !user.totpEnabledAt) return false;
    const step = totpStep(openTotpSecret(userId, user.totpSecret), code);
    if (step === null) return false;
    const claimed = await db.user.updateMany({
      where: { id: userId, totpEnabledAt: { not: null }, OR: [{ totpLastStep: null }, { totpLastStep: { lt: step } }] },
      data: { totpLastStep: step },
    });
    return claimed.count === 1;
  }
  return db.$transaction(async (tx) => {
    const used = await tx.recoveryCode.updateMany({
      where: { userId, codeHash: hashRecoveryCode(code), usedAt: null, user: { totpEnabledAt: { not: null } } },
      data: { usedAt: new Date() },
    });
    if (used.count === 0) return false;
    const remaining = await tx.recoveryCode.count({ where: { userId, usedAt: null } });
    await recordAudit(tx, actor, {
      projectId: null,
      action: 'account.recovery_code_used',
      targetType: 'user',
      targetId: userId,
      targetLabel: actor.label,
      details: { remaining },
    });
    return true;
  });
}
