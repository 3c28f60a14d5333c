import type { Page } from '@playwright/test';
import {
  TEXT,
  addSecret,
  allRowMenuButtons,
  bearer,
  createProject,
  createToken,
  dialog,
  expect,
  expectFieldError,
  expectReadOnlyKey,
  expectToast,
  fetchFlight,
  field,
  fillSecretForm,
  openAddSecret,
  openSecrets,
  pendingBanner,
  redeploy,
  rowAction,
  rowMenuButton,
  searchSecrets,
  secretRow,
  secretsUrl,
  suffix,
  test,
  tokensUrl,
} from './fixtures';

// The owner's secrets page (DESIGN.md §6), signed in as the saved OWNER.

test('an owner creates a project and manages its secrets', async ({ page }) => {
  test.slow();
  const canary = `canary-${suffix()}${suffix()}-value`;
  const { slug } = await createProject(page, `Payments ${suffix()}`);

  await test.step('the new project has an empty Secrets page', async () => {
    await openSecrets(page, slug, 'production');
    for (const env of ['Development', 'Staging', 'Production']) {
      await expect(page.getByRole('link', { name: env, exact: true })).toBeVisible();
    }
    await expect(field(page, 'Search secrets')).toBeVisible();
    await expect(page.getByRole('button', { name: 'Add Secret', exact: true }).first()).toBeVisible();
    await expect(allRowMenuButtons(page)).toHaveCount(0);
  });

  await test.step('Add Secret explains every invalid input', async () => {
    const form = await openAddSecret(page);
    const create = form.getByRole('button', { name: 'Create Secret' });

    await create.click();
    await expectFieldError(form, 'Secret Key', TEXT.keyRequired);
    await expectFieldError(form, 'Secret Value', TEXT.valueRequired);

    await fillSecretForm(form, { key: '1BAD', value: 'x' });
    await create.click();
    await expectFieldError(form, 'Secret Key', TEXT.keyPattern);

    await fillSecretForm(form, { key: 'STRIPE_API_KEY', value: 'a'.repeat(64 * 1024 + 1) });
    await create.click();
    await expectFieldError(form, 'Secret Value', TEXT.valueTooLarge);

    await fillSecretForm(form, { value: canary });
    await create.click();
    await expectToast(page, TEXT.created);
    await expect(form).toBeHidden();
    await expect(secretRow(page, 'STRIPE_API_KEY')).toBeVisible();
  });

  await test.step('a duplicate key, even differing only by case, is refused', async () => {
    const form = await openAddSecret(page);
    const create = form.getByRole('button', { name: 'Create Secret' });
    await fillSecretForm(form, { key: 'STRIPE_API_KEY', value: 'another value' });
    await create.click();
    await expectFieldError(form, 'Secret Key', TEXT.keyExists);

    await fillSecretForm(form, { key: 'stripe_api_key' });
    await create.click();
    await expectFieldError(form, 'Secret Key', TEXT.keyExists);

    await form.getByRole('button', { name: 'Cancel' }).click();
    await expect(form).toBeHidden();
    await expect(allRowMenuButtons(page)).toHaveCount(1);
  });

  await test.step('more secrets fill the table; values never show', async () => {
    await addSecret(page, { key: 'DATABASE_URL', value: `postgres://app:${canary}@db/app`, description: 'Primary database' });
    await addSecret(page, { key: 'SENTRY_DSN', value: `https://${canary}@sentry.example/1`, description: 'Error reporting' });

    for (const column of ['Key', 'Description', 'Type', 'Last updated', 'Created', 'Last read', 'Actions']) {
      await expect(page.getByRole('columnheader', { name: column, exact: true })).toBeVisible();
    }
    await expect(allRowMenuButtons(page)).toHaveCount(3);
    // The type is suggested from the key name (DESIGN.md §3).
    await expect(secretRow(page, 'DATABASE_URL')).toContainText('Primary database');
    await expect(secretRow(page, 'DATABASE_URL')).toContainText('Connection string');
    expect(await page.content()).not.toContain(canary);
  });

  await test.step('Edit refuses an empty change, then updates value and description', async () => {
    await rowAction(page, 'STRIPE_API_KEY', 'Edit');
    const form = dialog(page, 'Edit Secret');
    await expect(form).toBeVisible();
    await expectReadOnlyKey(form, 'STRIPE_API_KEY');
    await expect(field(form, 'New Value')).toHaveValue('');
    await expect(form.getByText(TEXT.keepValueHint)).toBeVisible();

    const update = form.getByRole('button', { name: 'Update Secret' });
    await update.click();
    await expect(form.getByText(TEXT.noChanges)).toBeVisible();

    await field(form, 'New Value').fill(`${canary}-rotated`);
    await field(form, 'Description').fill('Stripe live key');
    await update.click();
    await expectToast(page, TEXT.updated);
    await expect(form).toBeHidden();
    await expect(secretRow(page, 'STRIPE_API_KEY')).toContainText('Stripe live key');
    expect(await page.content()).not.toContain(canary);
  });

  await test.step('Delete asks first, then removes the secret', async () => {
    await rowAction(page, 'SENTRY_DSN', 'Delete');
    let confirm = dialog(page, 'Delete Secret');
    await expect(confirm).toContainText('SENTRY_DSN');
    await expect(confirm).toContainText(TEXT.cannotUndo);
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    await expect(confirm).toBeHidden();
    await expect(secretRow(page, 'SENTRY_DSN')).toBeVisible();

    await rowAction(page, 'SENTRY_DSN', 'Delete');
    confirm = dialog(page, 'Delete Secret');
    await confirm.getByRole('button', { name: 'Delete secret' }).click();
    await expectToast(page, TEXT.deleted);
    await expect(secretRow(page, 'SENTRY_DSN')).toHaveCount(0);
    await expect(allRowMenuButtons(page)).toHaveCount(2);
  });

  await test.step('search matches key and description, and survives a reload', async () => {
    await searchSecrets(page, 'DATABASE');
    await expect(secretRow(page, 'DATABASE_URL')).toBeVisible();
    await expect(allRowMenuButtons(page)).toHaveCount(1);

    await searchSecrets(page, 'Stripe live');
    await expect(secretRow(page, 'STRIPE_API_KEY')).toBeVisible();
    await expect(allRowMenuButtons(page)).toHaveCount(1);

    await page.reload();
    await expect(field(page, 'Search secrets')).toHaveValue('Stripe live');
    await expect(allRowMenuButtons(page)).toHaveCount(1);
    await expect(secretRow(page, 'STRIPE_API_KEY')).toBeVisible();
  });

  await test.step('environments are separate', async () => {
    await page.getByRole('link', { name: 'Development', exact: true }).click();
    await expect.poll(() => new URL(page.url()).searchParams.get('env')).toBe('development');
    await expect(allRowMenuButtons(page)).toHaveCount(0);
  });
});

test('a saved value never reaches the page HTML or its RSC payload', async ({ page }) => {
  const canary = `canary-${suffix()}${suffix()}-value`;
  const key = `CANARY_${suffix().toUpperCase()}`;
  const { slug } = await createProject(page, `Canary ${suffix()}`);
  await openSecrets(page, slug);

  // Every HTML / RSC / JSON response the browser gets while saving, too.
  const checks: Promise<string | null>[] = [];
  page.on('response', (response) => {
    const type = response.headers()['content-type'] ?? '';
    if (!/text\/html|text\/x-component|json/.test(type)) return;
    checks.push(
      response.text().then(
        (body) => (body.includes(canary) ? response.url() : null),
        () => null,
      ),
    );
  });

  await addSecret(page, { key, value: canary, description: 'leak check' });
  await rowAction(page, key, 'Edit');
  const form = dialog(page, 'Edit Secret');
  await expect(field(form, 'New Value')).toHaveValue('');
  await form.getByRole('button', { name: 'Cancel' }).click();
  expect(await page.content()).not.toContain(canary);

  const url = secretsUrl(slug);
  const html = await page.request.get(url);
  expect(html.status()).toBe(200);
  const htmlText = await html.text();
  expect(htmlText, 'the HTML is the real secrets page').toContain(key);
  expect(htmlText).not.toContain(canary);

  const flight = await fetchFlight(page.request, url);
  expect(flight.status()).toBe(200);
  expect(flight.headers()['content-type']).toContain('text/x-component');
  const flightText = await flight.text();
  expect(flightText, 'the RSC payload is the real secrets page').toContain(key);
  expect(flightText).not.toContain(canary);

  expect((await Promise.all(checks)).filter(Boolean), 'responses that carried the value').toEqual([]);
});

// ---------------------------------------------------------------- the table (issue 12)

/** The keys the table lists, top to bottom (from each row's Actions button). */
const listedKeys = (page: Page) =>
  allRowMenuButtons(page).evaluateAll((buttons) => buttons.map((b) => b.getAttribute('aria-label')!.replace(/^Actions for /, '')));

const LONG_KEY = 'PAYMENTS_PROVIDER_WEBHOOK_SIGNING_SECRET_FOR_THE_EUROPEAN_REGION';

async function tableProject(page: Page) {
  const { slug } = await createProject(page, `Table ${suffix()}`);
  await openSecrets(page, slug);
  // Added in this order, so "last updated" sorts them in reverse.
  await addSecret(page, { key: 'STRIPE_API_KEY', value: 'v1', type: 'API key' });
  await addSecret(page, { key: 'NEXT_PUBLIC_SITE_URL', value: 'https://example.test', type: 'Other' });
  await addSecret(page, { key: 'DATABASE_URL', value: 'postgres://db/app', type: 'Connection string' });
  await addSecret(page, { key: LONG_KEY, value: 'v2', type: 'Token' });
  return slug;
}

test('the secrets table sorts, filters and copies, with its state in the URL (1280 px)', async ({ page, context }) => {
  test.slow();
  await page.setViewportSize({ width: 1280, height: 900 });
  await tableProject(page);
  const sort = page.getByRole('combobox', { name: 'Sort' });
  const keyHeader = page.getByRole('columnheader', { name: 'Key', exact: true });
  const updatedHeader = page.getByRole('columnheader', { name: 'Last updated', exact: true });

  await test.step('sorted by key by default; Z to A and by last updated on request', async () => {
    await expect.poll(() => listedKeys(page)).toEqual(['DATABASE_URL', 'NEXT_PUBLIC_SITE_URL', LONG_KEY, 'STRIPE_API_KEY']);
    await expect(keyHeader).toHaveAttribute('aria-sort', 'ascending');

    await sort.selectOption({ label: 'Key, Z to A' });
    await expect.poll(() => new URL(page.url()).searchParams.get('sort')).toBe('key-desc');
    await expect.poll(() => listedKeys(page)).toEqual(['STRIPE_API_KEY', LONG_KEY, 'NEXT_PUBLIC_SITE_URL', 'DATABASE_URL']);
    await expect(keyHeader).toHaveAttribute('aria-sort', 'descending');

    await sort.selectOption({ label: 'Last updated, newest first' });
    await expect.poll(() => listedKeys(page)).toEqual([LONG_KEY, 'DATABASE_URL', 'NEXT_PUBLIC_SITE_URL', 'STRIPE_API_KEY']);
    await expect(updatedHeader).toHaveAttribute('aria-sort', 'descending');
    await expect(keyHeader).not.toHaveAttribute('aria-sort', /./);

    await sort.selectOption({ label: 'Last updated, oldest first' });
    await expect.poll(() => listedKeys(page)).toEqual(['STRIPE_API_KEY', 'NEXT_PUBLIC_SITE_URL', 'DATABASE_URL', LONG_KEY]);
    await expect(updatedHeader).toHaveAttribute('aria-sort', 'ascending');
  });

  await test.step('filters by type and by Public, kept across a reload', async () => {
    await page.getByRole('combobox', { name: 'Type' }).selectOption({ label: 'Connection string' });
    await expect.poll(() => listedKeys(page)).toEqual(['DATABASE_URL']);

    await page.getByRole('combobox', { name: 'Type' }).selectOption({ label: 'All types' });
    await page.getByRole('combobox', { name: 'Public' }).selectOption({ label: 'Public only' });
    await expect.poll(() => listedKeys(page)).toEqual(['NEXT_PUBLIC_SITE_URL']);

    await page.getByRole('combobox', { name: 'Public' }).selectOption({ label: 'Not public' });
    await expect.poll(() => listedKeys(page)).toEqual(['STRIPE_API_KEY', 'DATABASE_URL', LONG_KEY]);
    expect(Object.fromEntries(new URL(page.url()).searchParams)).toMatchObject({ sort: 'updated-asc', public: 'no' });

    await page.reload();
    await expect.poll(() => listedKeys(page)).toEqual(['STRIPE_API_KEY', 'DATABASE_URL', LONG_KEY]);
    await expect(sort).toHaveValue('updated-asc');
    await expect(page.getByRole('combobox', { name: 'Public' })).toHaveValue('no');

    await page.getByRole('combobox', { name: 'Type' }).selectOption({ label: 'Certificate' });
    await expect(page.getByText('No secrets match these filters.')).toBeVisible();
    await page.getByRole('link', { name: 'Clear filters' }).click();
    await expect.poll(() => listedKeys(page)).toHaveLength(4);
  });

  await test.step('the copy button copies the key name, and says so when the clipboard is unavailable', async () => {
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    await page.getByRole('button', { name: 'Copy DATABASE_URL', exact: true }).click();
    await expectToast(page, 'Key copied');
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe('DATABASE_URL');

    await page.evaluate(() => Object.defineProperty(navigator, 'clipboard', { value: undefined, configurable: true }));
    await page.getByRole('button', { name: 'Copy STRIPE_API_KEY', exact: true }).click();
    await expectToast(page, 'Could not copy. Select the key and copy it yourself.');
  });

  await test.step('the row menu still opens the dialogs', async () => {
    await rowAction(page, 'DATABASE_URL', 'Edit');
    const form = dialog(page, 'Edit Secret');
    await expectReadOnlyKey(form, 'DATABASE_URL');
    await form.getByRole('button', { name: 'Cancel' }).click();
    await expect(form).toBeHidden();
    await expect(page.getByRole('button', { name: 'Actions for DATABASE_URL', exact: true })).toBeFocused();
  });
});

test('at 390 px every row action is on screen without scrolling sideways, and long keys wrap after _ only', async ({ page }) => {
  test.slow();
  await page.setViewportSize({ width: 390, height: 844 });
  await tableProject(page);
  await page.reload();
  await expect(allRowMenuButtons(page)).toHaveCount(4);

  await test.step('no sideways scrolling of the page; every Actions and Copy button inside the viewport', async () => {
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    const buttons = page.getByRole('button', { name: /^(Actions for|Copy) / });
    await expect(buttons).toHaveCount(8);
    for (const button of await buttons.all()) {
      await button.scrollIntoViewIfNeeded(); // vertical only: the table itself stays scrolled to the left
      const box = (await button.boundingBox())!;
      const name = (await button.getAttribute('aria-label')) ?? '';
      expect(box.x, name).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width, name).toBeLessThanOrEqual(390);
    }
    expect(await page.getByRole('region', { name: 'Secrets in Production' }).evaluate((el) => el.scrollLeft)).toBe(0);
  });

  await test.step('the long key breaks only after underscores', async () => {
    const lines = await page
      .getByRole('button', { name: `Copy ${LONG_KEY}`, exact: true })
      .locator('xpath=preceding-sibling::span[1]')
      .evaluate((span) => {
        // The text of each rendered line, read from where each character lands.
        const tops = new Map<number, string>();
        const walker = document.createTreeWalker(span, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          for (let i = 0; i < node.textContent!.length; i++) {
            const range = document.createRange();
            range.setStart(node, i);
            range.setEnd(node, i + 1);
            const top = Math.round(range.getBoundingClientRect().top);
            tops.set(top, (tops.get(top) ?? '') + node.textContent![i]);
          }
        }
        return [...tops.entries()].sort((a, b) => a[0] - b[0]).map(([, text]) => text);
      });
    expect(lines.length, lines.join(' | ')).toBeGreaterThan(1);
    expect(lines.join('')).toBe(LONG_KEY);
    for (const line of lines.slice(0, -1)) expect(line, lines.join(' | ')).toMatch(/_$/);
  });

  await test.step('sort and filters fit, and a row menu opens its dialog', async () => {
    for (const name of ['Sort', 'Type', 'Public']) {
      const box = (await page.getByRole('combobox', { name }).boundingBox())!;
      expect(box.x + box.width).toBeLessThanOrEqual(390);
    }
    await rowAction(page, 'STRIPE_API_KEY', 'Delete');
    const confirm = dialog(page, 'Delete Secret');
    await expect(confirm).toContainText('STRIPE_API_KEY');
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    await expect(confirm).toBeHidden();
  });
});

for (const width of [1280, 390]) {
  test(`at ${width} px a toast leaves the actions column free: the first row's menu opens by mouse while the toast shows`, async ({ page }) => {
    await page.setViewportSize({ width, height: 900 });
    const { slug } = await createProject(page, `Toasts ${suffix()}`);
    await openSecrets(page, slug);
    await addSecret(page, { key: 'TOAST_FIRST', value: 'first' });
    await expect(pendingBanner(page)).toBeVisible();

    // A window just tall enough for the first row: its Actions button sits at the bottom, where toasts show.
    const button = allRowMenuButtons(page).first();
    const bottom = await button.evaluate((el) => el.getBoundingClientRect().bottom + window.scrollY);
    await page.setViewportSize({ width, height: Math.ceil(bottom) + 20 });
    await page.evaluate(() => window.scrollTo(0, 0));

    // A change shows a toast, and the pointer rests on it: it stays.
    await addSecret(page, { key: 'TOAST_SECOND', value: 'second' });
    await page.evaluate(() => window.scrollTo(0, 0));
    const toast = page.getByRole('listitem').filter({ hasText: TEXT.created }).first(); // the newest
    await toast.hover();
    const [toastBox, box] = [(await toast.boundingBox())!, (await button.boundingBox())!];
    const middle = { x: box.x + box.width / 2, y: box.y + box.height / 2 };
    expect(middle.y, 'the button is at the height of the toast').toBeGreaterThan(toastBox.y);
    expect(middle.y, 'the button is at the height of the toast').toBeLessThan(toastBox.y + toastBox.height);
    await expect(toast).toBeVisible();

    // A real click where the button is: it reaches the button, not the toast.
    await page.mouse.click(middle.x, middle.y);
    await expect(page.getByRole('menuitem', { name: 'Edit' })).toBeVisible();
    await expect(button).toHaveAttribute('aria-expanded', 'true');
  });
}

test('Delete warns about a secret a token read in the last 7 days, and only about that one', async ({ page, request }) => {
  const { slug } = await createProject(page, `Read warning ${suffix()}`);
  await openSecrets(page, slug);
  await addSecret(page, { key: 'READ_KEY', value: `v-${suffix()}` });
  await addSecret(page, { key: 'UNREAD_KEY', value: `v-${suffix()}` });
  await redeploy(page);

  // A machine reads one key through the API with a read token.
  const name = `ci-${suffix()}`;
  await page.goto(tokensUrl(slug));
  const token = await createToken(page, name);
  const read = await request.get('/api/v1/secrets/READ_KEY', { headers: bearer(token) });
  expect(read.status(), await read.text()).toBe(200);

  // Reads are written in batches (every second in these tests): the table shows it once written.
  await expect(async () => {
    await openSecrets(page, slug);
    await expect(secretRow(page, 'READ_KEY')).toContainText(`by token ${name}`, { timeout: 1_000 });
  }).toPass({ timeout: 30_000 });

  await rowAction(page, 'READ_KEY', 'Delete');
  const confirm = dialog(page, 'Delete Secret');
  await expect(confirm.getByText('This secret is in use', { exact: true })).toBeVisible();
  // DESIGN's example is `Read 3 hours ago by token ci-production`; this read was moments ago.
  await expect(confirm.getByText(/^Read /)).toHaveText(new RegExp(`^Read (just now|1 minute ago) by token ${name}$`));
  await confirm.getByRole('button', { name: 'Cancel' }).click();
  await expect(confirm).toBeHidden();

  await rowAction(page, 'UNREAD_KEY', 'Delete');
  await expect(confirm).toHaveAccessibleDescription('UNREAD_KEY in Production');
  await expect(confirm.getByText(TEXT.cannotUndo, { exact: false })).toBeVisible();
  await expect(confirm.getByText('This secret is in use')).toHaveCount(0);
  await expect(confirm.getByText(/^Read /)).toHaveCount(0);
});

test('a closing dialog gives focus back only when it fell to the page, never away from where it went meanwhile', async ({ page }) => {
  const { slug } = await createProject(page, `Focus race ${suffix()}`);
  await openSecrets(page, slug);
  await addSecret(page, { key: 'FOCUS_KEY', value: `v-${suffix()}` });

  // Normally, closing gives focus back to the row's Actions button.
  await rowAction(page, 'FOCUS_KEY', 'Change history');
  const history = dialog(page, 'Change history');
  await history.getByRole('button', { name: 'Close' }).last().click();
  await expect(history).toBeHidden();
  await expect(rowMenuButton(page, 'FOCUS_KEY')).toBeFocused();

  // Radix hands focus back a tick after the dialog left the page. Someone who moved on in that
  // tick (here: the search box, focused the moment the dialog is gone) keeps their focus.
  await rowAction(page, 'FOCUS_KEY', 'Change history');
  await expect(history).toBeVisible();
  await page.evaluate(() => {
    const open = document.querySelector('[role="dialog"]')!;
    (window as unknown as { movedOn: Promise<void> }).movedOn = new Promise<void>((resolve) => {
      const observer = new MutationObserver(() => {
        if (open.isConnected) return;
        observer.disconnect();
        document.querySelector<HTMLElement>('input[type="search"]')!.focus();
        resolve();
      });
      observer.observe(document.body, { childList: true, subtree: true });
    });
  });
  await history.getByRole('button', { name: 'Close' }).last().click();
  await page.evaluate(() => (window as unknown as { movedOn: Promise<void> }).movedOn);
  // The hand-back was scheduled before this timer: once it has run, so has the hand-back.
  await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 0)));
  await expect(page.getByRole('searchbox', { name: 'Search secrets' })).toBeFocused();
});
