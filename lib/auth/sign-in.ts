import 'server-only';
import type { NextAuthOptions } from 'next-auth';
import { encode } from 'next-auth/jwt';
import CredentialsProvider from 'next-auth/providers/credentials';
import { cookies } from 'next/headers';
import { redeemSecondFactorCode } from '@/lib/auth/second-factor';
import { safeCallbackPath } from '@/lib/auth/callback-path';
import { decoyHash, verifyPassword } from '@/lib/auth/password';
import { loginSchema } from '@/lib/auth/schemas';
import { db, isDatabaseUnavailable } from '@/lib/db';
import { env } from '@/lib/env';
import { logUnexpected } from '@/lib/log';
import { createRateLimiter, RateLimiterRes, type SharedLimiter } from '@/lib/rate-limits';
import { CLIENT_IP_HEADER } from '@/lib/request';

const SESSION_MAX_AGE_SECONDS = 12 * 60 * 60;
/** Sign-in errors next-auth hands to the login form as `error=`. */
export const TOO_MANY_ATTEMPTS = 'TooManyAttempts';
export const SECOND_FACTOR_REQUIRED = 'SecondFactorRequired';
export const SECOND_FACTOR_INVALID = 'SecondFactorInvalid';

// Each attempt costs ~280 ms of scrypt, so the limit protects the CPU as well
// as the accounts: per email+address, and per address across all emails.
// Wrong second-factor codes are also counted per account across all
// addresses, so knowing the password does not buy unlimited guesses.
// Shared by every instance on PostgreSQL (lib/rate-limits.ts).
let limiters: { perAccount: SharedLimiter; perAddress: SharedLimiter; perSecondFactor: SharedLimiter } | undefined;
function loginLimiters() {
  const points = env().KEYHOLD_LOGIN_ATTEMPTS;
  return (limiters ??= {
    perAccount: createRateLimiter('login-account', points, 15 * 60),
    perAddress: createRateLimiter('login-address', points * 5, 15 * 60),
    perSecondFactor: createRateLimiter('login-second-factor', points, 15 * 60),
  });
}

/** false when the limiter refused (over the limit); any other failure (its store) is thrown, never read as a refusal. */
const withinLimit = (counted: Promise<unknown>): Promise<boolean> =>
  counted.then(
    () => true,
    (rejection: unknown) => {
      if (rejection instanceof RateLimiterRes) return false;
      throw rejection;
    },
  );

/** Counts one password attempt (sign-in, change password, turning the second factor off); false once over the limit. */
export async function consumePasswordAttempt(ip: string, email: string): Promise<boolean> {
  const { perAccount, perAddress } = loginLimiters();
  // One after the other: a failing store then fails (and is logged) once, not once per limiter.
  return (await withinLimit(perAddress.consume(ip))) && withinLimit(perAccount.consume(`${ip}|${email}`));
}

/** Counts one second-factor code attempt of a user (from any address); false once over the limit. */
export async function consumeSecondFactorAttempt(userId: string): Promise<boolean> {
  return withinLimit(loginLimiters().perSecondFactor.consume(userId));
}

/** Forgets a user's counted code attempts once a code has been accepted (sign-in, confirming a second factor). */
export async function clearSecondFactorAttempts(userId: string): Promise<void> {
  await loginLimiters().perSecondFactor.delete(userId);
}

function header(req: { headers?: Record<string, unknown> } | undefined, name: string): string {
  const value = req?.headers?.[name];
  return typeof value === 'string' ? value : 'unknown';
}

export type AuthenticatedUser = { id: string; name: string; email: string; sessionVersion: number; secondFactor: boolean };

/** The password check alone (unknown emails cost the same time). */
export async function authenticate(email: string, password: string): Promise<AuthenticatedUser | null> {
  const user = await db.user.findUnique({
    where: { email },
    select: { id: true, name: true, email: true, passwordHash: true, sessionVersion: true, totpEnabledAt: true },
  });
  const valid = await verifyPassword(password, user?.passwordHash ?? (await decoyHash()));
  if (!user || !valid) return null;
  return { id: user.id, name: user.name, email: user.email, sessionVersion: user.sessionVersion, secondFactor: user.totpEnabledAt !== null };
}

/**
 * The whole sign-in check behind next-auth's authorize: throttling, then the
 * password, then (only once the password is right, so nobody learns whether
 * an account has one) the second factor. Failures with their own message
 * throw an Error named by its message (next-auth passes it on as `error=`).
 */
export async function signInWithCredentials(credentials: unknown, ip: string): Promise<AuthenticatedUser | null> {
  const parsed = loginSchema.safeParse(credentials ?? {});
  if (!parsed.success) return null;
  const { email, password, code } = parsed.data;
  if (!(await consumePasswordAttempt(ip, email))) throw new Error(TOO_MANY_ATTEMPTS);
  const user = await authenticate(email, password);
  if (!user) return null;
  if (user.secondFactor) {
    if (!code) throw new Error(SECOND_FACTOR_REQUIRED);
    if (!(await consumeSecondFactorAttempt(user.id))) throw new Error(TOO_MANY_ATTEMPTS);
    if (!(await redeemSecondFactorCode({ userId: user.id, label: user.email, ip }, code))) throw new Error(SECOND_FACTOR_INVALID);
    await clearSecondFactorAttempts(user.id);
  }
  await loginLimiters().perAccount.delete(`${ip}|${email}`);
  return user;
}

/** The answers sign-in may give by name; next-auth sends a thrown message to the browser as `error=`. */
const SIGN_IN_ERRORS = new Set<string>([TOO_MANY_ATTEMPTS, SECOND_FACTOR_REQUIRED, SECOND_FACTOR_INVALID]);
export const SIGN_IN_FAILED = 'SignInFailed';

/**
 * Any other failure (the database, a second-factor secret failing its integrity check) is named only `SignInFailed`,
 * and logged unless the database is away (as the action runner and the API do: a failing rate-limit store logged itself).
 */
export async function signInOrFailClean(credentials: unknown, ip: string): Promise<AuthenticatedUser | null> {
  try {
    return await signInWithCredentials(credentials, ip);
  } catch (error) {
    if (error instanceof Error && SIGN_IN_ERRORS.has(error.message)) throw error;
    if (!isDatabaseUnavailable(error)) logUnexpected('sign-in failed', error);
    throw new Error(SIGN_IN_FAILED);
  }
}

let options: NextAuthOptions | undefined;

/** Built on first use, so `next build` needs no runtime secrets. */
export const authOptions = (): NextAuthOptions =>
  (options ??= {
    secret: env().NEXTAUTH_SECRET,
    session: { strategy: 'jwt', maxAge: SESSION_MAX_AGE_SECONDS },
    pages: { signIn: '/login', error: '/login' },
    providers: [
      CredentialsProvider({
        name: 'Email and password',
        credentials: { email: { type: 'email' }, password: { type: 'password' }, code: { type: 'text' } },
        authorize: (credentials, req) => signInOrFailClean(credentials, header(req, CLIENT_IP_HEADER)),
      }),
    ],
    callbacks: {
      // next-auth follows `callbackUrl` itself (sign-in, sign-out, errors): the same rule as the login page.
      async redirect({ url, baseUrl }) {
        return new URL(safeCallbackPath(url, baseUrl), baseUrl).toString();
      },
      // The token remembers the user's session version at sign-in; lib/session.ts
      // refuses it once "Sign out everywhere" has moved the version on.
      async jwt({ token, user }) {
        if (user) token.sv = (user as AuthenticatedUser).sessionVersion;
        return token;
      },
      // What the session callback returns reaches the browser: id, name, email only.
      async session({ session, token }) {
        return {
          expires: session.expires,
          user: { id: token.sub ?? '', name: token.name ?? '', email: token.email ?? '' },
        };
      },
    },
  });

const secureCookies = () => env().NEXTAUTH_URL?.startsWith('https://') ?? false;

/**
 * Issues a new session cookie for the signed-in user at their current session
 * version (the same token next-auth makes at sign-in): after a password
 * change ends every other session, this browser stays signed in.
 */
export async function reissueSession(user: { id: string; name: string; email: string; sessionVersion: number }): Promise<void> {
  const secure = secureCookies();
  const token = await encode({
    token: { sub: user.id, name: user.name, email: user.email, sv: user.sessionVersion },
    secret: env().NEXTAUTH_SECRET,
    maxAge: SESSION_MAX_AGE_SECONDS,
  });
  (await cookies()).set(`${secure ? '__Secure-' : ''}next-auth.session-token`, token, {
    httpOnly: true,
    sameSite: 'lax',
    path: '/',
    secure,
    maxAge: SESSION_MAX_AGE_SECONDS,
  });
}
