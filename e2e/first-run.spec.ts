import { BASE_URL } from './env';
import {
  createProject,
  createToken,
  dialog,
  DEPLOY_TEXT,
  expect,
  expectToast,
  field,
  fillSecretForm,
  openAddSecret,
  openSecrets,
  pendingBanner,
  redeploy,
  rowAction,
  secretRow,
  suffix,
  TEXT,
  test,
  tokensUrl,
} from './fixtures';

// Issue 12, first run and several environments, at a desktop and a phone
// width: an empty project's three steps, Settings → Secrets, `Also add to`,
// the toast's Redeploy, `Missing` → Add, the NEXT_PUBLIC_ credential guard,
// Generate, the token panel's command.

for (const [name, viewport] of [
  ['1280 px', { width: 1280, height: 900 }],
  ['390 px', { width: 390, height: 844 }],
] as const) {
  test.describe(`at ${name}`, () => {
    test.use({ viewport });

    test('an empty project shows three steps; Settings opens Secrets; add to several environments, Redeploy from the toast', async ({ page }) => {
      const { slug } = await createProject(page, `First run ${suffix()}`);
      await page.goto(`/projects/${slug}`);
      const steps = page.getByRole('region', { name: 'Get started' });
      await expect(steps.getByRole('listitem')).toHaveCount(3);
      await expect(steps.getByRole('listitem').nth(0)).toContainText('Add a secret');
      await expect(steps.getByRole('listitem').nth(1)).toContainText('Redeploy');
      await expect(steps.getByRole('listitem').nth(2)).toContainText('Create a token');
      await expect(steps.getByRole('link', { name: 'Open Tokens' })).toHaveAttribute('href', tokensUrl(slug));

      await page.getByRole('navigation', { name: 'Project' }).getByRole('link', { name: 'Settings' }).click();
      await expect(page).toHaveURL(new RegExp(`/projects/${slug}/settings/secrets`));
      await expect(page.getByRole('heading', { name: 'Secrets', exact: true })).toBeVisible();

      await openSecrets(page, slug, 'production');
      const form = await openAddSecret(page);
      await fillSecretForm(form, { key: 'SHARED_URL', value: 'postgres://shared' });
      const also = form.getByRole('group', { name: 'Also add to' });
      await expect(also.getByRole('checkbox')).toHaveCount(2);
      await also.getByRole('checkbox', { name: 'Staging' }).check();
      await also.getByRole('checkbox', { name: 'Development' }).check();
      await form.getByRole('button', { name: 'Create Secret' }).click();
      await expectToast(page, TEXT.created);
      await expect(form).toBeHidden();

      // The toast names every environment written; its Redeploy opens the redeploy dialog for each in turn.
      const toast = page.getByRole('listitem').filter({ hasText: TEXT.created });
      await expect(toast).toContainText('Added to Production, Development and Staging.');
      await toast.getByRole('button', { name: 'Redeploy' }).click();
      for (const env of ['Production', 'Development', 'Staging']) {
        const diff = dialog(page, `Redeploy ${env}`);
        await expect(diff).toBeVisible();
        await expect(diff).toContainText('SHARED_URL');
        await diff.getByRole('button', { name: 'Redeploy', exact: true }).click();
        await expect(diff).toBeHidden();
      }
      await expectToast(page, DEPLOY_TEXT.deployed);
      await expect(pendingBanner(page, 'Production')).toHaveCount(0);
      // All three are deployed: the overview shows no pending changes.
      await expect
        .poll(async () => {
          await page.goto(`/projects/${slug}`);
          return page.getByRole('region', { name: /^Pending changes in / }).count();
        })
        .toBe(0);

      // The other environments have it too.
      await openSecrets(page, slug, 'staging');
      await expect(secretRow(page, 'SHARED_URL')).toBeVisible();
      await openSecrets(page, slug, 'development');
      await expect(secretRow(page, 'SHARED_URL')).toBeVisible();

      // Edit, Delete and Change history name the key and the environment.
      for (const [item, title] of [
        ['Edit', 'Edit Secret'],
        ['Change history', 'Change history'],
        ['Delete', 'Delete Secret'],
      ] as const) {
        await rowAction(page, 'SHARED_URL', item);
        const opened = dialog(page, title);
        await expect(opened).toHaveAccessibleDescription('SHARED_URL in Development');
        await opened.getByRole('button', { name: item === 'Change history' ? 'Close' : 'Cancel' }).click();
        await expect(opened).toBeHidden();
      }
    });

    test('a Missing cell opens Add for that key and environment; the NEXT_PUBLIC_ guard and Generate', async ({ page }) => {
      const { slug } = await createProject(page, `Missing ${suffix()}`);
      await openSecrets(page, slug, 'production');
      const form = await openAddSecret(page);
      await fillSecretForm(form, { key: 'NEXT_PUBLIC_STRIPE_KEY', value: `sk_live_${'x'.repeat(24)}` });
      await form.getByRole('button', { name: 'Create Secret' }).click();
      const value = field(form, 'Secret Value');
      await expect(value).toHaveAttribute('aria-invalid', 'true');
      await expect(value).toHaveAccessibleDescription(/NEXT_PUBLIC_ values are shipped to every browser/);
      await form.getByRole('checkbox', { name: 'Ship this value to every browser anyway' }).check();
      await form.getByRole('button', { name: 'Create Secret' }).click();
      await expectToast(page, TEXT.created);
      await expect(secretRow(page, 'NEXT_PUBLIC_STRIPE_KEY')).toBeVisible();

      await page.goto(`/projects/${slug}`);
      await expect(page.getByRole('region', { name: 'Get started' })).toHaveCount(0);
      await page.getByRole('button', { name: 'Add NEXT_PUBLIC_STRIPE_KEY to Staging' }).click();
      const add = dialog(page, 'Add Secret');
      await expect(add).toContainText('Add a secret to Staging');
      await expect(field(add, 'Secret Key')).toHaveValue('NEXT_PUBLIC_STRIPE_KEY');

      // Generate: a random value straight into the masked field.
      const generated = field(add, 'Secret Value');
      await add.getByRole('button', { name: 'Generate', exact: true }).click();
      await expect(generated).toHaveValue(/^[A-Za-z0-9]{32}$/);
      await expect(generated).toHaveAttribute('type', 'password');
      await field(add, 'Length').fill('48');
      await expect(generated).toHaveValue(/^[A-Za-z0-9]{48}$/);
      await add.getByRole('button', { name: 'Create Secret' }).click();
      await expectToast(page, TEXT.created);
      await expect(add).toBeHidden();
      await expect(page.getByRole('button', { name: 'Add NEXT_PUBLIC_STRIPE_KEY to Staging' })).toHaveCount(0);
      await expect(page.getByRole('button', { name: 'Add NEXT_PUBLIC_STRIPE_KEY to Development' })).toBeVisible();
    });

    test('the token panel shows the command with this origin, and warns when the environment has no deployment', async ({ page }) => {
      const { slug } = await createProject(page, `Token panel ${suffix()}`);
      await openSecrets(page, slug, 'production');
      await fillSecretForm(await openAddSecret(page), { key: 'API_KEY', value: 'v' });
      await dialog(page, 'Add Secret').getByRole('button', { name: 'Create Secret' }).click();
      await expectToast(page, TEXT.created);
      await redeploy(page);

      await page.goto(tokensUrl(slug));
      const token = await createToken(page, `dev-${suffix()}`, { env: 'Development' });
      const command = page.getByRole('status').getByRole('textbox', { name: 'Run a command with it' });
      await expect(command).toHaveValue(`KEYHOLD_URL=${BASE_URL} KEYHOLD_TOKEN=${token} npx keyhold run -- <command>`);
      await expect(page.getByRole('status')).toContainText('Development has no deployment yet: reads with this token answer not_deployed');

      const production = await createToken(page, `prod-${suffix()}`, { env: 'Production' });
      await expect(command).toHaveValue(`KEYHOLD_URL=${BASE_URL} KEYHOLD_TOKEN=${production} npx keyhold run -- <command>`);
      await expect(page.getByRole('status')).not.toContainText('no deployment yet');
    });
  });
}
