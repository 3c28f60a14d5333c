import { defineConfig } from '@playwright/test';
import { AUTH, BASE_URL, ON_POSTGRES, PORT, SERVER_ENV } from './e2e/env';

// End-to-end tests: the real app (started like `npm start`) on a fresh
// database, driven in Debian's Chromium. One worker: 2 cores, one server. With KEYHOLD_E2E_DB=postgresql
// (scripts/test.mjs's second run) the same app runs on PostgreSQL for the
// secrets, deploys and tokens specs, plus the multi-instance and outage spec.
const CI = !!process.env.CI;

export default defineConfig({
  testDir: 'e2e',
  fullyParallel: false,
  workers: 1,
  forbidOnly: CI,
  retries: CI ? 1 : 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: 'list',
  use: {
    baseURL: BASE_URL,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      // Chromium from Debian (apt-get install chromium); never `npx playwright install`.
      executablePath: '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-quic',
      ],
    },
  },
  projects: [
    // Creates the first account through /setup and a member; saves their logins.
    { name: 'setup', testMatch: /auth\.setup\.ts$/ },
    {
      name: 'e2e',
      testMatch: ON_POSTGRES ? /(secrets|deploys|tokens|instances)\.spec\.ts$/ : /\.spec\.ts$/,
      testIgnore: ON_POSTGRES ? [] : [/instances\.spec\.ts$/],
      dependencies: ['setup'],
      use: { storageState: AUTH.owner },
    },
  ],
  webServer: {
    // Wipes data/e2e (refusing any other database), then runs scripts/start.mjs.
    command: 'node e2e/start-server.mjs',
    port: PORT,
    env: SERVER_ENV,
    reuseExistingServer: false,
    // The first `next build` takes 30-60 s on these machines.
    timeout: 240_000,
    stdout: 'pipe',
    stderr: 'pipe',
    gracefulShutdown: { signal: 'SIGTERM', timeout: 5_000 },
  },
});
