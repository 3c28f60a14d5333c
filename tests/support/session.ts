// Who the data layer sees as signed in during a test (see setup-env.ts): the
// decoded session token, as next-auth's getToken would return it.
type TestUser = { id: string; name: string; email: string };

let current: { sub: string; sv: number } | null = null;

/** Signs in as `user` with a token issued at session version `sessionVersion` (default 0). */
export function signInAs(user: TestUser | null, sessionVersion = 0): void {
  current = user ? { sub: user.id, sv: sessionVersion } : null;
}

export function testToken() {
  return current;
}
