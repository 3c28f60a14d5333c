import 'next-auth';

declare module 'next-auth' {
  interface Session {
    user: { id: string; name: string; email: string };
  }
}

declare module 'next-auth/jwt' {
  interface JWT {
    /** User.sessionVersion when the token was issued. */
    sv?: number;
  }
}
