// Who the data layer sees as signed in during a test (see setup-env.ts).
type TestUser = { id: string; name: string; email: string };

let current: TestUser | null = null;

export function signInAs(user: TestUser | null): void {
  current = user;
}

export function testSession() {
  return current ? { user: current, expires: new Date(Date.now() + 3600_000).toISOString() } : null;
}
