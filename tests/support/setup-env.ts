import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { vi } from 'vitest';
import { createTestDatabase } from './postgres';

// Runs before every test file: a fresh database and keys of its own, so files
// never share state. Integration tests apply migrations in beforeAll. The
// `postgresql` vitest project (KEYHOLD_TEST_PG_URL, set by scripts/test.mjs)
// gives each file its own database in the throwaway cluster; otherwise a SQLite file.
if (process.env.KEYHOLD_TEST_PROVIDER === 'postgresql') {
  process.env.DATABASE_URL = await createTestDatabase();
} else {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keyhold-test-'));
  process.env.DATABASE_URL = `file:${path.join(dir, 'keyhold-test.db')}`;
}
process.env.KEYHOLD_MASTER_KEY = randomBytes(32).toString('base64');
process.env.NEXTAUTH_SECRET = randomBytes(32).toString('base64');
// The deploy-hook receivers of the tests listen on 127.0.0.1 (tests/deploy-hook-address.test.ts turns this off).
process.env.KEYHOLD_HOOKS_ALLOW_PRIVATE = 'true';

// The request scope Next gives server code, reduced to what the data layer
// reads: the signed-in user (tests/support/session.ts sets it) and headers.
vi.mock('next-auth/jwt', async (importOriginal) => {
  const { testToken } = await import('./session');
  return { ...(await importOriginal<object>()), getToken: async () => testToken() };
});
vi.mock('next/headers', () => ({
  headers: async () => new Headers({ 'x-keyhold-client-ip': '203.0.113.7' }),
  cookies: async () => ({ getAll: () => [] }),
}));
