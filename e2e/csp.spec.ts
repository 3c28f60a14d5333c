import type { Page } from '@playwright/test';
import { THEME_STORAGE_KEY } from '../components/ui/theme';
import { addSecret, createProject, expect, openAddSecret, openRedeploy, openSecrets, suffix, test } from './fixtures';

// Every page is served under a strict, nonce-based Content-Security-Policy and
// works under it: the fixtures fail any test whose browser reports a violation
// (so every other spec checks this too); here each page is visited once.

/** The response carries the strict CSP (pages without scripts of their own, and redirects). */
function expectCsp(headers: Record<string, string>, url: string) {
  const csp = headers['content-security-policy'] ?? '';
  expect(csp, `${url} has a CSP`).toContain("default-src 'self'");
  for (const directive of ["object-src 'none'", "base-uri 'none'", "form-action 'self'", "frame-ancestors 'none'"]) {
    expect(csp, url).toContain(directive);
  }
  expect(csp, `${url} script-src has a nonce`).toMatch(/script-src 'self' 'nonce-[^']+'/);
}

/** The page's CSP header, and every <script> of its HTML carries that response's nonce. */
async function expectNoncedPage(page: Page, url: string) {
  const response = await page.goto(url);
  expect(response, url).not.toBeNull();
  const csp = (await response!.allHeaders())['content-security-policy'] ?? '';
  expect(csp, `${url} has a CSP`).toContain("default-src 'self'");
  for (const directive of ["object-src 'none'", "base-uri 'none'", "form-action 'self'", "frame-ancestors 'none'"]) {
    expect(csp, url).toContain(directive);
  }
  const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
  expect(nonce, `${url} script-src has a nonce`).toBeTruthy();
  const scripts = (await response!.text()).match(/<script\b[^>]*>/g) ?? [];
  expect(scripts.length, `${url} has scripts`).toBeGreaterThan(0);
  for (const tag of scripts) expect(tag, `${url}: every script carries the nonce`).toContain(`nonce="${nonce}"`);
  // The app hydrated (scripts ran): a client-side control responds.
  await expect(page.locator('body')).toBeVisible();
}

test('every page of a project is served with a nonce-based CSP and runs without a violation', async ({ page }) => {
  const { slug } = await createProject(page, `CSP ${suffix()}`);
  await openSecrets(page, slug);
  await addSecret(page, { key: 'CSP_CHECK', value: 'csp-value' });
  const pages = [
    '/projects',
    `/projects/${slug}`,
    `/projects/${slug}/deploys`,
    `/projects/${slug}/settings/secrets?env=production`,
    `/projects/${slug}/settings/general`,
    `/projects/${slug}/settings/members`,
    `/projects/${slug}/settings/tokens`,
  ];
  for (const url of pages) await expectNoncedPage(page, url);

  // Scripts that run after load work too: a dialog, a menu, the theme switch.
  await openSecrets(page, slug);
  const form = await openAddSecret(page);
  await form.getByRole('button', { name: 'Cancel' }).click();
  const diff = await openRedeploy(page);
  await diff.getByRole('button', { name: 'Cancel' }).click();
  await page.evaluate((key) => localStorage.setItem(key, 'dark'), THEME_STORAGE_KEY);
  await page.reload();
  await expect(page.locator('html')).toHaveClass(/dark/); // the nonced pre-paint script ran
});

test('the account page, with second-factor set-up and its QR code, runs under the CSP', async ({ page }) => {
  await expectNoncedPage(page, '/account');
  await page.getByRole('button', { name: 'Set up second factor' }).click();
  // The QR code is a data: URL image (img-src 'self' data: blob:); a violation would fail the test.
  const qr = page.getByRole('img', { name: 'QR code for your authenticator app' });
  await expect(qr).toBeVisible();
  expect(await qr.getAttribute('src')).toMatch(/^data:image\/svg\+xml;base64,/);
  expect(await qr.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
});

test('signed-out pages are served with the same CSP', async ({ newVisitor }) => {
  const page = await newVisitor();
  await expectNoncedPage(page, '/login');
  await expectNoncedPage(page, '/invite/not-a-real-invite-token');
  await expectNoncedPage(page, '/reset/not-a-real-reset-token');
  // /setup redirects once the first account exists; the redirect carries the CSP too.
  const setup = await page.request.get('/setup', { maxRedirects: 0 });
  expect([200, 303, 307, 308]).toContain(setup.status());
  expectCsp(setup.headers(), '/setup');
  await expectNoncedPage(page, '/setup');
});

test("next-auth's own pages (/api/auth/…) carry the CSP and run without a violation", async ({ newVisitor }) => {
  const page = await newVisitor();
  for (const url of ['/api/auth/signout', '/api/auth/signin', '/api/auth/error']) {
    const response = await page.request.get(url, { maxRedirects: 0 });
    expectCsp(response.headers(), url);
  }
  // The built-in sign-out confirmation, rendered in the browser: the fixtures fail on any CSP violation.
  const response = await page.goto('/api/auth/signout');
  expectCsp(await response!.allHeaders(), '/api/auth/signout');
  await expect(page.getByRole('button', { name: /sign out/i })).toBeVisible();
});
