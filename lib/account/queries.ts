import 'server-only';
import { db } from '@/lib/db';
import { hashLinkToken } from '@/lib/link-token';
import { requireUser } from '@/lib/session';

export type AccountSettings = {
  name: string;
  email: string;
  /** Null while the second factor is off. */
  secondFactor: { enabledAt: string; recoveryCodesLeft: number } | null;
};

export async function accountSettings(): Promise<AccountSettings> {
  const user = await requireUser();
  const row = await db.user.findUniqueOrThrow({
    where: { id: user.id },
    select: { totpEnabledAt: true, _count: { select: { recoveryCodes: { where: { usedAt: null } } } } },
  });
  return {
    name: user.name,
    email: user.email,
    secondFactor: row.totpEnabledAt ? { enabledAt: row.totpEnabledAt.toISOString(), recoveryCodesLeft: row._count.recoveryCodes } : null,
  };
}

/** The account a reset link is for, or null when it is unknown, used or expired. Public: the token is the credential. */
export async function findPasswordReset(token: string): Promise<{ email: string } | null> {
  const link = await db.passwordReset.findUnique({
    where: { tokenHash: hashLinkToken(token) },
    select: { usedAt: true, expiresAt: true, user: { select: { email: true } } },
  });
  if (!link || link.usedAt || link.expiresAt <= new Date()) return null;
  return { email: link.user.email };
}
