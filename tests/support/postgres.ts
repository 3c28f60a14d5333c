import { randomBytes } from 'node:crypto';
import pg from 'pg';

// The throwaway cluster scripts/test.mjs starts (scripts/pg-cluster.mjs) is
// passed as KEYHOLD_TEST_PG_URL, the URL of its maintenance database.

export const testClusterUrl = (): string | undefined => process.env.KEYHOLD_TEST_PG_URL;

/** A new, empty database in the test cluster; returns its URL. CREATE DATABASE is ~50 ms. */
export async function createTestDatabase(prefix = 't'): Promise<string> {
  const admin = testClusterUrl();
  if (!admin) throw new Error('KEYHOLD_TEST_PG_URL is not set: run the PostgreSQL suites through `npm test` (scripts/test.mjs)');
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return url.toString();
}
