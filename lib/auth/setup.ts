import 'server-only';
import { hashPassword } from '@/lib/auth/password';
import { db, provider } from '@/lib/db';
import { forbidden } from '@/lib/errors';

/** True until the first account exists; /setup is open only then. */
export async function needsSetup(): Promise<boolean> {
  return (await db.user.findFirst({ select: { id: true } })) === null;
}

/** PostgreSQL advisory lock key of the first-run setup (any fixed number no other lock uses). */
const SETUP_LOCK = 4_871_001;

export const SETUP_CLOSED = 'Keyhold is already set up. Sign in instead.';

/** Creates the first account. Refused once any account exists, also when two arrive at once. */
export async function createFirstAccount(input: { name: string; email: string; password: string }): Promise<void> {
  const passwordHash = await hashPassword(input.password);
  await db.$transaction(async (tx) => {
    // Setups that arrive at once on several instances take turns, so the later ones find the first account
    // (SQLite has one writer; PostgreSQL would let each see no account and insert its own).
    if (provider === 'postgresql') await tx.$executeRaw`SELECT pg_advisory_xact_lock(${SETUP_LOCK})`;
    if (await tx.user.findFirst({ select: { id: true } })) throw forbidden(SETUP_CLOSED);
    await tx.user.create({ data: { name: input.name, email: input.email, passwordHash } });
  });
}
