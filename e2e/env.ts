import path from 'node:path';

// Where the e2e app runs and where saved logins live: read by
// playwright.config.ts and the fixtures, so they cannot disagree.

export const PORT = Number(process.env.E2E_PORT ?? 3107);
export const BASE_URL = `http://127.0.0.1:${PORT}`;

/**
 * KEYHOLD_E2E_DB=postgresql (scripts/test.mjs's second run): the app runs on
 * the database `keyhold_e2e` of the throwaway cluster at KEYHOLD_TEST_PG_URL,
 * which e2e/start-server.mjs drops and creates again.
 */
export const ON_POSTGRES = process.env.KEYHOLD_E2E_DB === 'postgresql';
export const PG_E2E_DATABASE = 'keyhold_e2e';

function postgresUrl(): string {
  const admin = process.env.KEYHOLD_TEST_PG_URL;
  if (!admin) throw new Error('KEYHOLD_E2E_DB=postgresql needs KEYHOLD_TEST_PG_URL (the throwaway cluster of scripts/test.mjs)');
  const url = new URL(admin);
  url.pathname = `/${PG_E2E_DATABASE}`;
  return url.toString();
}

/** The app under test, started by e2e/start-server.mjs (which wipes data/e2e first). */
export const SERVER_ENV = {
  HOST: '127.0.0.1',
  PORT: String(PORT),
  DATABASE_URL: ON_POSTGRES ? postgresUrl() : 'file:./data/e2e/keyhold-e2e.db',
  ...(ON_POSTGRES ? { KEYHOLD_TEST_PG_URL: process.env.KEYHOLD_TEST_PG_URL! } : {}),
  KEYHOLD_DATA_DIR: 'data/e2e',
  // Test-only keys for a throw-away database; never use them anywhere else.
  KEYHOLD_MASTER_KEY: 'JUtpoAbk3ciKFG2TXSFko3BmfZr8/AK8D9I4DfxQYaQ=',
  NEXTAUTH_SECRET: 'e2e-only-nextauth-secret-0f3c9a7d52b14e8c9a61d2f0b7e4c3a5',
  NEXTAUTH_URL: BASE_URL,
  // The specs' deploy-hook receivers listen on 127.0.0.1.
  KEYHOLD_HOOKS_ALLOW_PRIVATE: 'true',
  // Every spec signs in from 127.0.0.1, and the per-address limit is 5× this per 15 minutes:
  // room for the whole suite and its retries (the limits themselves are tested in tests/).
  KEYHOLD_LOGIN_ATTEMPTS: '30',
  // Machine reads are written once a minute; a spec waiting for "Last read" need not wait that long.
  KEYHOLD_READS_FLUSH_MS: '1000',
};

/** One saved login per role (e2e/.auth is git-ignored), written by auth.setup.ts. */
const authDir = path.join(__dirname, '.auth');
export const AUTH = {
  owner: path.join(authDir, 'owner.json'),
  member: path.join(authDir, 'member.json'),
  /** { slug, memberEmail }: the project the saved member belongs to (as MEMBER). */
  sharedProject: path.join(authDir, 'shared-project.json'),
};
