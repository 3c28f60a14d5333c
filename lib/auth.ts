import 'server-only';
import type { NextAuthOptions } from 'next-auth';
import CredentialsProvider from 'next-auth/providers/credentials';
import { decoyHash, verifyPassword } from '@/lib/auth/password';
import { loginSchema } from '@/lib/auth/schemas';
import { db } from '@/lib/db';
import { env } from '@/lib/env';
import { createRateLimiter, type SharedLimiter } from '@/lib/rate-limits';
import { CLIENT_IP_HEADER } from '@/lib/request';

export const SESSION_MAX_AGE_SECONDS = 12 * 60 * 60;
export const TOO_MANY_ATTEMPTS = 'TooManyAttempts';

// Each attempt costs ~280 ms of scrypt, so the limit protects the CPU as well
// as the accounts: per email+address, and per address across all emails.
// Shared by every instance on PostgreSQL (lib/rate-limits.ts).
let limiters: { perAccount: SharedLimiter; perAddress: SharedLimiter } | undefined;
function loginLimiters() {
  const points = env().KEYHOLD_LOGIN_ATTEMPTS;
  return (limiters ??= {
    perAccount: createRateLimiter('login-account', points, 15 * 60),
    perAddress: createRateLimiter('login-address', points * 5, 15 * 60),
  });
}

function header(req: { headers?: Record<string, unknown> } | undefined, name: string): string {
  const value = req?.headers?.[name];
  return typeof value === 'string' ? value : 'unknown';
}

export type AuthenticatedUser = { id: string; name: string; email: string; sessionVersion: number };

export async function authenticate(email: string, password: string): Promise<AuthenticatedUser | null> {
  const user = await db.user.findUnique({
    where: { email },
    select: { id: true, name: true, email: true, passwordHash: true, sessionVersion: true },
  });
  const valid = await verifyPassword(password, user?.passwordHash ?? (await decoyHash()));
  return user && valid ? { id: user.id, name: user.name, email: user.email, sessionVersion: user.sessionVersion } : null;
}

let options: NextAuthOptions | undefined;

/** Built on first use, so `next build` needs no runtime secrets. */
export const authOptions = (): NextAuthOptions => (options ??= {
  secret: env().NEXTAUTH_SECRET,
  session: { strategy: 'jwt', maxAge: SESSION_MAX_AGE_SECONDS },
  pages: { signIn: '/login', error: '/login' },
  providers: [
    CredentialsProvider({
      name: 'Email and password',
      credentials: { email: { type: 'email' }, password: { type: 'password' } },
      async authorize(credentials, req) {
        const parsed = loginSchema.safeParse(credentials ?? {});
        if (!parsed.success) return null;
        const { email, password } = parsed.data;
        const ip = header(req, CLIENT_IP_HEADER);
        const { perAccount, perAddress } = loginLimiters();
        try {
          await Promise.all([perAccount.consume(`${ip}|${email}`), perAddress.consume(ip)]);
        } catch {
          throw new Error(TOO_MANY_ATTEMPTS);
        }
        const user = await authenticate(email, password);
        if (user) await perAccount.delete(`${ip}|${email}`);
        return user;
      },
    }),
  ],
  callbacks: {
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
