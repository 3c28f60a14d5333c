import 'server-only';
import { createHash } from 'node:crypto';
import { decode, getToken, type JWT, type JWTDecodeParams } from 'next-auth/jwt';
import { cookies } from 'next/headers';
import { cache } from 'react';
import { createCache } from '@/lib/cache';
import { db } from '@/lib/db';
import { env } from '@/lib/env';
import { forbidden, unauthenticated } from '@/lib/errors';
import { clientIp } from '@/lib/request';
import { allows, deniedMessage, NOT_A_MEMBER, type Verb } from '@/lib/permissions';
import { isRole, type Role } from '@/lib/roles';

export type SessionUser = { id: string; name: string; email: string; hasSecondFactor: boolean };

/** Who is acting, as recorded in audit events. */
export type Actor = { userId: string; label: string; ip: string | null };

// Decoding a session cookie derives next-auth's key (HKDF) and decrypts the
// JWE: about a millisecond on every page. A browser sends the same cookie again
// and again, so its payload is kept for a minute, keyed by the cookie's hash.
// Expiry is still checked on each use, and the user is re-read below.
const sessionCookies = createCache<JWT | null, string>({
  name: 'session-cookies',
  load: (_hash, cookie) => decode({ token: cookie, secret: env().NEXTAUTH_SECRET }).catch(() => null),
  ttlMs: () => 60_000,
  max: 10_000,
});

export async function decodeSessionCookie({ token }: JWTDecodeParams): Promise<JWT | null> {
  if (!token) return null;
  const payload = await sessionCookies.read(createHash('sha256').update(token).digest('base64url'), token);
  // next-auth allows 15 s of clock skew past `exp`; so does a kept payload.
  return payload && (typeof payload.exp !== 'number' || payload.exp * 1000 + 15_000 > Date.now()) ? payload : null;
}

/**
 * The signed-in user, re-read from the database on every request: a deleted
 * user's token, or one issued before "Sign out everywhere", is worthless.
 */
export const getSessionUser = cache(async (): Promise<SessionUser | null> => {
  // Only the session cookie: no `Authorization: Bearer <jwt>` fallback.
  const token = await getToken({
    req: { cookies: await cookies(), headers: {} } as never,
    secret: env().NEXTAUTH_SECRET,
    decode: decodeSessionCookie,
  });
  if (!token?.sub) return null;
  const user = await db.user.findUnique({
    where: { id: token.sub },
    select: { id: true, name: true, email: true, sessionVersion: true, totpEnabledAt: true },
  });
  if (!user || user.sessionVersion !== (token.sv ?? 0)) return null;
  return { id: user.id, name: user.name, email: user.email, hasSecondFactor: user.totpEnabledAt !== null };
});

export async function requireUser(): Promise<SessionUser> {
  const user = await getSessionUser();
  if (!user) throw unauthenticated();
  return user;
}

export async function currentActor(): Promise<Actor> {
  const user = await requireUser();
  return { userId: user.id, label: user.email, ip: await clientIp() };
}

type Membership = { role: Role; secondFactorMissing: boolean };

// Memberships already read during this request (a project page reads its
// membership with the project itself); React's cache scopes the map to one request.
const knownMemberships = cache(() => new Map<string, Membership>());

/** Records the caller's membership read elsewhere in this request, so the checks below do not read it again. */
export function rememberMembership(projectId: string, member: Membership): void {
  knownMemberships().set(projectId, member);
}

/** The caller's membership of a project, or null when they are not a member. */
const membership = cache(async (projectId: string): Promise<Membership | null> => {
  const known = knownMemberships().get(projectId);
  if (known) return known;
  const user = await getSessionUser();
  if (!user) return null;
  const row = await db.membership.findUnique({
    where: { userId_projectId: { userId: user.id, projectId } },
    select: { role: true, project: { select: { requireSecondFactor: true } } },
  });
  if (!row || !isRole(row.role)) return null;
  return { role: row.role, secondFactorMissing: row.project.requireSecondFactor && !user.hasSecondFactor };
});

/** The caller's role in a project, or null when they are not a member. */
export const projectRole = cache(async (projectId: string): Promise<Role | null> => (await membership(projectId))?.role ?? null);

export const SECOND_FACTOR_MISSING = 'This project requires a second factor. Set one up under Account first.';

/**
 * Every data-layer function starts here: the caller must be signed in, be
 * allowed `verb` in the project (lib/permissions.ts) and, where the project
 * requires it, have a second factor. Returns the actor for audit events.
 */
export async function requirePermission(projectId: string, verb: Verb): Promise<Actor> {
  const actor = await currentActor();
  const member = await membership(projectId);
  if (!member) throw forbidden(NOT_A_MEMBER);
  if (!allows(member.role, verb)) throw forbidden(deniedMessage(verb));
  if (member.secondFactorMissing) throw forbidden(SECOND_FACTOR_MISSING);
  return actor;
}
