import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { APIRequestContext, APIResponse, Page } from '@playwright/test';
import dotenv from 'dotenv';
import { BASE_URL } from './env';
import {
  addSecret,
  bearer,
  createProject,
  createToken,
  dialog,
  expect,
  expectToast,
  fetchFlight,
  field,
  fillSecretForm,
  openAddSecret,
  openSecrets,
  pendingBanner,
  recordServerAction,
  redeploy,
  replayServerAction,
  rowAction,
  sharedProject,
  suffix,
  test,
  TEXT,
  tokensUrl,
} from './fixtures';

// Service tokens and the machine API (DESIGN.md §5, §8; docs/api.md): an owner
// creates a read token in Settings → Tokens, a machine reads the deployed
// secrets with it (JSON, ETag/304, one by name, .env), edits only reach it
// after a redeploy, a revoke takes effect on the next request, a member is
// refused the page, and `keyhold run` hands the secrets to a command.

const ANY_TOKEN = /kh_[A-Za-z0-9_-]{43}/;
const CLI = path.join(__dirname, '..', 'cli', 'keyhold.mjs');

const tokenRow = (page: Page, name: string) => page.getByRole('table', { name: 'Service tokens' }).getByRole('row').filter({ hasText: name });
/** How the list prints the expiry date (browser and test share the machine's time zone). */
const shownDate = (ms: number) => new Date(ms).toLocaleDateString('en', { dateStyle: 'medium' });

/** GET /api/v1/secrets with the token: status, parsed secrets, ETag. */
async function readSecrets(request: APIRequestContext, token: string) {
  const response = await request.get('/api/v1/secrets', { headers: bearer(token) });
  expect(response.status(), await response.text()).toBe(200);
  return { secrets: (await response.json()).secrets as Record<string, string>, etag: response.headers()['etag'] };
}

async function expectApiError(response: APIResponse, status: number, code: string) {
  expect(response.status()).toBe(status);
  expect((await response.json()).error.code).toBe(code);
}

test('an owner creates a read token; the API serves the live deployment until the token is revoked', async ({ page, request }) => {
  test.slow();
  const canary = `sk_live_${suffix()}${suffix()}`;
  const awkward = `first line "double" and 'single'\n# not a comment = still the value\nlast=line # with = and "quotes"`;
  const deployed = { SERVICE_API_KEY: canary, APP_CONFIG: awkward };
  const name = `ci-read-${suffix()}`;
  const { slug } = await createProject(page, `Tokens ${suffix()}`);
  let token = '';
  let etag = '';

  await test.step('two secrets in production, one multi-line with quotes, # and =; Redeploy', async () => {
    await openSecrets(page, slug, 'production');
    await addSecret(page, { key: 'SERVICE_API_KEY', value: canary });
    const form = await openAddSecret(page);
    await form.getByRole('button', { name: 'Multi-line' }).click(); // a password input would drop the line breaks
    await fillSecretForm(form, { key: 'APP_CONFIG', value: awkward });
    await form.getByRole('button', { name: 'Create Secret' }).click();
    await expectToast(page, TEXT.created);
    await redeploy(page);
  });

  await test.step('Settings → Tokens: a 7-day read token for production, shown once', async () => {
    await page.getByRole('navigation', { name: 'Project' }).getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('navigation', { name: 'Settings' }).getByRole('link', { name: 'Tokens' }).click();
    await expect(page).toHaveURL(new RegExp(`${tokensUrl(slug)}$`));
    const before = Date.now();
    token = await createToken(page, name);
    const expiryDates = [...new Set([shownDate(before + 7 * 86_400_000), shownDate(Date.now() + 7 * 86_400_000)])];

    await page.reload();
    await expect(page.getByRole('textbox', { name: 'New token' })).toHaveCount(0);
    const row = tokenRow(page, name);
    await expect(row).toHaveCount(1);
    await expect(row).toContainText(`${token.slice(0, 10)}…`);
    await expect(row.getByRole('cell').nth(1)).toHaveText('Production');
    await expect(row.getByRole('cell').nth(2)).toHaveText('Read');
    await expect(row.getByRole('cell').nth(4)).toHaveText(new RegExp(expiryDates.join('|')));
    expect(await page.content()).not.toMatch(ANY_TOKEN);
    expect(await (await page.request.get(tokensUrl(slug))).text()).not.toMatch(ANY_TOKEN);
    expect(await (await fetchFlight(page.request, tokensUrl(slug))).text()).not.toMatch(ANY_TOKEN);
  });

  await test.step('the API serves exactly the deployed values: JSON with an ETag, 304, by name, .env', async () => {
    const first = await readSecrets(request, token);
    expect(first.secrets).toEqual(deployed);
    expect(first.etag).toMatch(/^"[^"]+"$/);
    etag = first.etag;

    const again = await request.get('/api/v1/secrets', { headers: { ...bearer(token), 'If-None-Match': etag } });
    expect(again.status()).toBe(304);
    expect(again.headers()['etag']).toBe(etag);

    const one = await request.get('/api/v1/secrets/APP_CONFIG', { headers: bearer(token) });
    expect(one.status()).toBe(200);
    expect(await one.json()).toEqual({ name: 'APP_CONFIG', value: awkward });

    const env = await request.get('/api/v1/secrets?format=dotenv', { headers: bearer(token) });
    expect(env.status()).toBe(200);
    expect(env.headers()['content-type']).toMatch(/^text\/plain/);
    expect(env.headers()['x-keyhold-skipped-keys']).toBeUndefined();
    expect(dotenv.parse(await env.text())).toEqual(deployed);
  });

  await test.step('a read token cannot write; no token is 401 missing_token', async () => {
    const write = await request.post('/api/v1/secrets', { headers: bearer(token), data: { name: 'INJECTED', value: 'x' } });
    await expectApiError(write, 403, 'insufficient_scope');
    await expectApiError(await request.get('/api/v1/secrets'), 401, 'missing_token');
    expect((await readSecrets(request, token)).secrets).not.toHaveProperty('INJECTED');
  });

  await test.step('an edit reaches the API only with the next deployment', async () => {
    const rotated = `${canary}-rotated`;
    await openSecrets(page, slug, 'production');
    await rowAction(page, 'SERVICE_API_KEY', 'Edit');
    const edit = dialog(page, 'Edit Secret');
    await field(edit, 'New Value').fill(rotated);
    await edit.getByRole('button', { name: 'Update Secret' }).click();
    await expectToast(page, TEXT.updated);
    await expect(pendingBanner(page)).toBeVisible();

    const stale = await readSecrets(request, token);
    expect(stale.secrets).toEqual(deployed);
    expect(stale.etag).toBe(etag);

    await redeploy(page);
    const fresh = await readSecrets(request, token);
    expect(fresh.secrets).toEqual({ ...deployed, SERVICE_API_KEY: rotated });
    expect(fresh.etag).not.toBe(etag);
    const single = await request.get('/api/v1/secrets/SERVICE_API_KEY', { headers: bearer(token) });
    expect((await single.json()).value).toBe(rotated);
  });

  await test.step('revoking in the UI (confirmed) refuses the very next request: token_revoked', async () => {
    await page.goto(tokensUrl(slug));
    await page.getByRole('button', { name: `Revoke ${name}`, exact: true }).click();
    const confirm = dialog(page, 'Revoke token');
    await expect(confirm).toContainText(`${token.slice(0, 10)}…`);
    await confirm.getByRole('button', { name: 'Revoke token' }).click();
    await expectToast(page, `Token ${name} revoked`);
    await expectApiError(await request.get('/api/v1/secrets', { headers: bearer(token) }), 401, 'token_revoked');
    await expect(tokenRow(page, name)).toContainText('Revoked');
    await expect(page.getByRole('button', { name: `Revoke ${name}`, exact: true })).toHaveCount(0);
  });
});

test('a member is refused the Tokens page and its actions; no token reaches their browser', async ({ page, memberPage }) => {
  const { slug } = sharedProject();
  const name = `shared-${suffix()}`;
  let token = '';
  await page.goto(tokensUrl(slug));
  const create = await recordServerAction(page, name, async () => {
    token = await createToken(page, name, { env: 'Staging' });
  });

  const response = await memberPage.goto(tokensUrl(slug));
  await expect(memberPage.getByRole('heading', { name: 'Tokens', exact: true })).toBeVisible();
  await expect(memberPage.getByText("You don't have permission to manage service tokens.", { exact: true })).toBeVisible();
  await expect(memberPage.getByRole('button', { name: 'Create token' })).toHaveCount(0);
  await expect(field(memberPage, 'Name')).toHaveCount(0);
  await expect(memberPage.getByRole('table', { name: 'Service tokens' })).toHaveCount(0);
  for (const body of [(await response?.text()) ?? '', await memberPage.content(), await (await fetchFlight(memberPage.request, tokensUrl(slug))).text()]) {
    expect(body).not.toMatch(ANY_TOKEN);
    expect(body).not.toContain(token.slice(0, 10));
  }

  // Hiding the form is not the check: the owner's create action, replayed with the member's session, is refused.
  const replay = await replayServerAction(memberPage.request, create, `member-${name}`, BASE_URL);
  expect(await replay.text()).toContain("You don't have permission to manage service tokens.");
  await page.reload();
  await expect(tokenRow(page, name)).toHaveCount(1);
  await expect(tokenRow(page, `member-${name}`)).toHaveCount(0);
});

// `keyhold run` (DESIGN.md §8), when the CLI is there and starts.
const cliHelp = fs.existsSync(CLI) ? spawnSync(process.execPath, [CLI, '--help'], { encoding: 'utf8', timeout: 20_000 }) : null;
const cliProblem = !cliHelp ? `${CLI} does not exist` : cliHelp.status !== 0 ? `keyhold --help exited ${cliHelp.status}: ${cliHelp.stderr}` : '';

test('keyhold run starts a command with the deployed secrets and passes its exit code through', async ({ page }) => {
  test.skip(!!cliProblem, `CLI not usable: ${cliProblem}`);
  const value = `cli-${suffix()}${suffix()} "quoted" #hash a=b`;
  const { slug } = await createProject(page, `CLI ${suffix()}`);
  await openSecrets(page, slug, 'production');
  await addSecret(page, { key: 'SOME_KEY', value });
  await redeploy(page);
  await page.goto(tokensUrl(slug));
  const token = await createToken(page, `cli-${suffix()}`);

  const run = (...command: string[]) =>
    spawnSync(process.execPath, [CLI, 'run', '--', ...command], {
      encoding: 'utf8',
      timeout: 30_000,
      env: { ...process.env, KEYHOLD_URL: BASE_URL, KEYHOLD_TOKEN: token },
    });
  const printed = run(process.execPath, '-e', 'process.stdout.write(process.env.SOME_KEY)');
  expect(printed.status, printed.stderr).toBe(0);
  expect(printed.stdout).toBe(value);
  const failed = run(process.execPath, '-e', 'process.exit(7)');
  expect(failed.status, failed.stderr).toBe(7);
});
