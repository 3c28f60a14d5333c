import {
  TEXT,
  addSecret,
  allRowMenuButtons,
  createProject,
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
  rowAction,
  searchSecrets,
  secretRow,
  secretsUrl,
  suffix,
  test,
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
    checks.push(response.text().then((body) => (body.includes(canary) ? response.url() : null), () => null));
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
