import fs from 'node:fs';
import { test as base, expect, type APIRequestContext, type APIResponse, type BrowserContext, type Locator, type Page, type Request } from '@playwright/test';
import { AUTH } from './env';

// Everything the specs know about the UI lives here. The exact texts come
// from DESIGN.md §6; where the contract does not name something, the guess is
// marked GUESS so it is easy to find and adjust in one place.

export { expect };

// ---------------------------------------------------------------- contract texts

export const TEXT = {
  keyRequired: 'Secret key is required',
  valueRequired: 'Secret value is required',
  keyPattern: 'Secret key may contain only letters, digits and underscores, and cannot start with a digit',
  keyExists: 'A secret with this key already exists',
  valueTooLarge: 'Secret value must be at most 64 KiB',
  noChanges: 'No changes to save',
  keepValueHint: 'Leave empty to keep the current value',
  cannotUndo: "This action can't be undone.",
  created: 'New secret added successfully',
  updated: 'Secret updated successfully',
  deleted: 'Secret deleted successfully',
  noSecretsPermission: "You don't have permission to manage secrets.",
  invalidLogin: 'Invalid email or password',
} as const;

export type Role = 'Admin' | 'Member';
export type Env = 'development' | 'staging' | 'production';
export type User = { name: string; email: string; password: string };

export const OWNER: User = { name: 'Olivia Owner', email: 'owner@keyhold.test', password: 'e2e-Owner-passw0rd!' };
/** The saved member; its email is made unique per setup run (see sharedProject()). */
export const MEMBER = { name: 'Max Member', password: 'e2e-Member-passw0rd!' };

/** A context with no saved login (the default context is the owner's). */
export const SIGNED_OUT = { cookies: [], origins: [] };

export const suffix = () => Math.random().toString(36).slice(2, 8);

// ---------------------------------------------------------------- fixtures

/**
 * Every page of every test runs under the app's Content-Security-Policy, and
 * Chromium reports each violation on the console: collect them per context.
 */
function watchCsp(context: BrowserContext, violations: string[]) {
  context.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(`${message.page()?.url()}: ${message.text()}`);
  });
}

export const test = base.extend<{
  /** CSP violations seen in any context of the test; the test fails when there is one. */
  cspViolations: string[];
  /** A page signed in as the saved MEMBER of the shared project. */
  memberPage: Page;
  /** Opens a page in a fresh, signed-out browser context. */
  newVisitor: () => Promise<Page>;
}>({
  cspViolations: async ({}, use) => {
    const violations: string[] = [];
    await use(violations);
    expect(violations, 'the browser reported Content-Security-Policy violations').toEqual([]);
  },
  context: async ({ context, cspViolations }, use) => {
    watchCsp(context, cspViolations);
    await use(context);
  },
  memberPage: async ({ browser, cspViolations }, use) => {
    const context = await browser.newContext({ storageState: AUTH.member });
    watchCsp(context, cspViolations);
    await use(await context.newPage());
    await context.close();
  },
  newVisitor: async ({ browser, cspViolations }, use) => {
    const contexts: BrowserContext[] = [];
    await use(async () => {
      const context = await browser.newContext({ storageState: SIGNED_OUT });
      watchCsp(context, cspViolations);
      contexts.push(context);
      return context.newPage();
    });
    for (const context of contexts) await context.close();
  },
});

/** The project the saved MEMBER belongs to, and that member's email (written by auth.setup.ts). */
export function sharedProject(): { slug: string; memberEmail: string } {
  return JSON.parse(fs.readFileSync(AUTH.sharedProject, 'utf8'));
}

// ---------------------------------------------------------------- generic UI

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A form field by its label; tolerates a required marker ("Email *"). */
export function field(scope: Page | Locator, label: string): Locator {
  return scope.getByLabel(new RegExp(`^${escape(label)}(\\s*\\*)?$`));
}

/** A dialog by its title (Radix renders confirmations as role=alertdialog). */
export function dialog(page: Page, title: string): Locator {
  return page.getByRole('dialog', { name: title }).or(page.getByRole('alertdialog', { name: title }));
}

export async function expectToast(page: Page, text: string) {
  await expect(page.getByText(text, { exact: true }).first()).toBeVisible();
}

/** The message is visible, and the field says it is invalid and points at it. */
export async function expectFieldError(scope: Page | Locator, label: string, message: string) {
  await expect(scope.getByText(message, { exact: true })).toBeVisible();
  const input = field(scope, label);
  await expect(input).toHaveAttribute('aria-invalid', 'true');
  await expect(input).toHaveAccessibleDescription(new RegExp(escape(message)));
}

/** Selects are native <select> elements (components/ui/select.tsx). */
export async function chooseOption(input: Locator, option: string) {
  await input.selectOption({ label: option });
}

export async function expectChosen(input: Locator, option: string) {
  await expect(input.getByRole('option', { selected: true })).toHaveText(option);
}

// ---------------------------------------------------------------- accounts

/**
 * /setup creates the first account; afterwards we must be signed in.
 * `retrying`: a retry of the setup test may find the account already made.
 */
export async function createFirstAccount(page: Page, user: User, { retrying = false } = {}) {
  await page.goto('/setup');
  if (retrying && new URL(page.url()).pathname.startsWith('/login')) return signIn(page, user);
  await field(page, 'Name').fill(user.name);
  await field(page, 'Email').fill(user.email);
  await field(page, 'Password').fill(user.password);
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/setup'));
  // GUESS: setup either signs the new owner in or sends them to /login.
  if (new URL(page.url()).pathname.startsWith('/login')) await signIn(page, user);
  await expectSignedIn(page);
}

export async function fillSignIn(page: Page, email: string, password: string) {
  await page.goto('/login');
  await expect(page, 'the sign-in page is served (not a redirect)').toHaveURL(/\/login/);
  await field(page, 'Email').fill(email);
  await field(page, 'Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** Pastes text into a field as the browser delivers a paste (no clipboard access needed). */
export async function paste(target: Locator, text: string) {
  await target.focus();
  await target.evaluate((el, t) => {
    const data = new DataTransfer();
    data.setData('text/plain', t);
    el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  }, text);
}

export async function signIn(page: Page, user: User) {
  await fillSignIn(page, user.email, user.password);
  await page.waitForURL((url) => !url.pathname.startsWith('/login'));
  await expectSignedIn(page);
}

export async function expectSignedIn(page: Page) {
  await expect(page.getByRole('button', { name: 'Account' })).toBeVisible();
}

export async function signOut(page: Page) {
  await page.getByRole('button', { name: 'Account' }).click();
  await page.getByRole('menuitem', { name: 'Sign out', exact: true }).click();
  await expect(page).toHaveURL(/\/login/);
}

// ---------------------------------------------------------------- projects

/** Creates a project from /projects; returns its slug (from the URL we land on). */
export async function createProject(page: Page, name: string): Promise<{ slug: string }> {
  await page.goto('/projects');
  await page.getByRole('button', { name: 'New project' }).click();
  const form = page.getByRole('dialog');
  await field(form, 'Project name').fill(name);
  await form.getByRole('button', { name: 'Create project' }).click();
  await page.waitForURL(/\/projects\/[^/?#]+/);
  const slug = new URL(page.url()).pathname.split('/')[2];
  return { slug: decodeURIComponent(slug) };
}

export const secretsUrl = (slug: string, env: Env = 'production') => `/projects/${slug}/settings/secrets?env=${env}`;
export const membersUrl = (slug: string) => `/projects/${slug}/settings/members`;

/**
 * A user who is not (or no longer) a member is refused the project.
 * GUESS: refused = a 403/404 answer or a redirect away from the project.
 */
export async function expectRefusedProject(page: Page, slug: string) {
  for (const url of [`/projects/${slug}`, secretsUrl(slug)]) {
    const response = await page.goto(url);
    const status = response?.status() ?? 0;
    const stayed = new URL(page.url()).pathname.startsWith(`/projects/${slug}`);
    expect(status === 403 || status === 404 || !stayed, `${url} answered ${status} at ${page.url()}`).toBe(true);
    await expect(page.getByRole('heading', { name: 'Secrets' })).toHaveCount(0);
    await expect(page.getByRole('table')).toHaveCount(0);
  }
}

// ---------------------------------------------------------------- secrets

export type SecretInput = { key: string; value: string; description?: string; type?: string };

export async function openSecrets(page: Page, slug: string, env: Env = 'production') {
  await page.goto(secretsUrl(slug, env));
  await expect(page.getByRole('heading', { name: 'Secrets', exact: true })).toBeVisible();
}

/** The empty state offers a second `Add Secret`; either opens the same dialog. */
export async function openAddSecret(page: Page): Promise<Locator> {
  await page.getByRole('button', { name: 'Add Secret', exact: true }).first().click();
  const form = dialog(page, 'Add Secret');
  await expect(form).toBeVisible();
  return form;
}

export async function fillSecretForm(form: Locator, secret: Partial<SecretInput>) {
  if (secret.key !== undefined) await field(form, 'Secret Key').fill(secret.key);
  if (secret.value !== undefined) await field(form, 'Secret Value').fill(secret.value);
  if (secret.description !== undefined) await field(form, 'Description').fill(secret.description);
  if (secret.type !== undefined) await chooseOption(field(form, 'Type'), secret.type);
}

export async function addSecret(page: Page, secret: SecretInput) {
  const form = await openAddSecret(page);
  await fillSecretForm(form, secret);
  await form.getByRole('button', { name: 'Create Secret' }).click();
  await expectToast(page, TEXT.created);
  await expect(form).toBeHidden();
  await expect(secretRow(page, secret.key)).toBeVisible();
}

export const rowMenuButton = (page: Page, key: string) => page.getByRole('button', { name: `Actions for ${key}`, exact: true });

/** Every row menu button: counts the secrets listed. */
export const allRowMenuButtons = (page: Page) => page.getByRole('button', { name: /^Actions for / });

export function secretRow(page: Page, key: string): Locator {
  return page
    .getByRole('table')
    .getByRole('row')
    .filter({ has: rowMenuButton(page, key) });
}

export async function rowAction(page: Page, key: string, item: 'Edit' | 'Change history' | 'Delete') {
  // From the keyboard, as keyboard users do (secrets.spec.ts clicks the button by mouse beside a toast).
  await rowMenuButton(page, key).press('Enter');
  await page.getByRole('menuitem', { name: item }).press('Enter');
}

/** GUESS: the read-only key in the Edit dialog is a read-only (or disabled) input. */
export async function expectReadOnlyKey(form: Locator, key: string) {
  const input = field(form, 'Secret Key');
  await expect(input).toHaveValue(key);
  await expect(input).not.toBeEditable();
}

/** GUESS: the search is live (debounced) or submits on Enter; Enter covers both. */
export async function searchSecrets(page: Page, query: string) {
  const box = field(page, 'Search secrets');
  await box.fill(query);
  await box.press('Enter');
  await expect.poll(() => new URL(page.url()).searchParams.get('q')).toBe(query);
}

// ---------------------------------------------------------------- deployments

export const DEPLOY_TEXT = {
  pending: 'Secrets have changed. Changes will take effect in the next successful deployment.',
  redeploying: 'Redeploying with secret changes',
  deployed: 'Deployment created successfully',
} as const;

export const pendingBanner = (page: Page, env = 'Production') => page.getByRole('region', { name: `Pending changes in ${env}` });

/** Banner → Redeploy → the diff dialog (returned open, its changes loaded). */
export async function openRedeploy(page: Page, env = 'Production'): Promise<Locator> {
  const banner = pendingBanner(page, env);
  await expect(banner.getByText(DEPLOY_TEXT.pending, { exact: true })).toBeVisible();
  await banner.getByRole('button', { name: 'Redeploy', exact: true }).click();
  const diff = dialog(page, `Redeploy ${env}`);
  await expect(diff).toBeVisible();
  await expect(diff.getByText('Loading the changes…')).toHaveCount(0);
  return diff;
}

/** Confirms the open diff dialog; the deployment has started once the toast shows. */
export async function confirmRedeploy(page: Page, diff: Locator) {
  await diff.getByRole('button', { name: 'Redeploy', exact: true }).click();
  await expect(diff).toBeHidden();
  await expectToast(page, DEPLOY_TEXT.redeploying);
}

/** Banner → diff → confirm; waits until the deployment succeeded and the banner is gone. */
export async function redeploy(page: Page, env = 'Production') {
  await confirmRedeploy(page, await openRedeploy(page, env));
  await expectToast(page, DEPLOY_TEXT.deployed);
  await expect(pendingBanner(page, env)).toHaveCount(0);
}

// ---------------------------------------------------------------- members

export async function createInviteLink(page: Page, slug: string, email: string, role: Role): Promise<string> {
  await page.goto(membersUrl(slug));
  await field(page, 'Email').fill(email);
  await chooseOption(field(page, 'Role'), role);
  await page.getByRole('button', { name: 'Create invite link' }).click();
  const link = page.getByRole('textbox', { name: 'Invite link' });
  await expect(link).toHaveValue(/\/invite\/[^/]+$/);
  await expect(link).not.toBeEditable();
  return link.inputValue();
}

/** Opens an invite link signed out, joins, and lands signed in on the project. */
export async function joinWithInvite(page: Page, link: string, user: Pick<User, 'name' | 'password'>, slug: string) {
  await page.goto(link);
  await field(page, 'Name').fill(user.name);
  await field(page, 'Password').fill(user.password);
  await page.getByRole('button', { name: 'Join project' }).click();
  await page.waitForURL((url) => url.pathname.startsWith(`/projects/${slug}`));
  await expectSignedIn(page);
}

export const memberRoleSelect = (page: Page, email: string) => page.getByLabel(`Role for ${email}`, { exact: true });

/** GUESS: changing the select saves at once; we reload to prove it was saved. */
export async function setMemberRole(page: Page, slug: string, email: string, role: Role) {
  await page.goto(membersUrl(slug));
  await chooseOption(memberRoleSelect(page, email), role);
  // The change saves as soon as it is chosen; its toast says the server has it.
  await expectToast(page, `${email} is now ${role}`);
  await page.reload();
  await expectChosen(memberRoleSelect(page, email), role);
}

/** Removing a member is confirmed in a dialog (destructive actions always are). */
export async function removeMember(page: Page, slug: string, email: string) {
  await page.goto(membersUrl(slug));
  const remove = page.getByRole('button', { name: `Remove ${email}`, exact: true });
  await remove.click();
  const confirm = dialog(page, 'Remove member'); // GUESS: title and button text (not in DESIGN.md)
  await expect(confirm).toContainText(email);
  await confirm.getByRole('button', { name: 'Remove member' }).click();
  await expect(remove).toHaveCount(0);
  await page.reload();
  await expect(remove).toHaveCount(0);
}

// ---------------------------------------------------------------- service tokens

export const TOKEN = /^kh_[A-Za-z0-9_-]{43}$/;
export const tokensUrl = (slug: string) => `/projects/${slug}/settings/tokens`;
export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

/** Settings → Tokens: creates a token and returns it, read from the one-time read-only box. */
export async function createToken(page: Page, name: string, { env = 'Production', scope = 'Read', expires = '7 days' } = {}) {
  await expect(page.getByRole('heading', { name: 'Tokens', exact: true })).toBeVisible();
  await field(page, 'Name').fill(name);
  await chooseOption(field(page, 'Environment'), env);
  await chooseOption(field(page, 'Scope'), scope);
  await chooseOption(field(page, 'Expires'), expires);
  await page.getByRole('button', { name: 'Create token', exact: true }).click();
  await expectToast(page, 'Token created');
  const box = page.getByRole('status').getByRole('textbox', { name: 'New token' });
  await expect(box).toHaveValue(TOKEN);
  await expect(box).not.toBeEditable();
  await expect(page.getByRole('status')).toContainText(`Copy the token ${name} now.`);
  return box.inputValue();
}

// ---------------------------------------------------------------- raw HTTP

/** GET a page's React server-component payload (Next may first redirect to add `_rsc`). */
export async function fetchFlight(request: APIRequestContext, url: string): Promise<APIResponse> {
  const headers = { RSC: '1' };
  let response = await request.get(url, { headers, maxRedirects: 0 });
  for (let hops = 0; hops < 3 && [301, 302, 303, 307, 308].includes(response.status()); hops++) {
    response = await request.get(response.headers()['location'], { headers, maxRedirects: 0 });
  }
  return response;
}

export type RecordedAction = { url: string; id: string; contentType: string; routerStateTree?: string; body: string; key: string };

/** Records the server-action POST that carries `key` while `act` runs in the browser. */
export async function recordServerAction(page: Page, key: string, act: () => Promise<void>): Promise<RecordedAction> {
  const seen: Request[] = [];
  const listener = (request: Request) => {
    if (request.method() === 'POST' && request.headers()['next-action']) seen.push(request);
  };
  page.on('request', listener);
  try {
    await act();
  } finally {
    page.off('request', listener);
  }
  const request = seen.find((r) => (r.postData() ?? '').includes(key));
  if (!request) throw new Error(`no server-action POST carrying ${key} was seen (${seen.length} action calls)`);
  const headers = request.headers();
  return {
    url: request.url(),
    id: headers['next-action'],
    contentType: headers['content-type'] ?? 'text/plain;charset=UTF-8',
    routerStateTree: headers['next-router-state-tree'],
    body: request.postData() ?? '',
    key,
  };
}

/** Replays a recorded action with another key, from any request context (its cookies). */
export function replayServerAction(request: APIRequestContext, action: RecordedAction, newKey: string, origin: string | null): Promise<APIResponse> {
  const headers: Record<string, string> = {
    'Next-Action': action.id,
    'Content-Type': action.contentType,
    Accept: 'text/x-component',
  };
  if (action.routerStateTree) headers['Next-Router-State-Tree'] = action.routerStateTree;
  if (origin) headers.Origin = origin;
  return request.post(action.url, { headers, data: action.body.split(action.key).join(newKey), maxRedirects: 0 });
}
