import type { Page } from '@playwright/test';
import {
  addSecret,
  createProject,
  dialog,
  expect,
  expectToast,
  fetchFlight,
  field,
  openAddSecret,
  openSecrets,
  rowAction,
  secretRow,
  secretsUrl,
  suffix,
  test,
  paste,
} from './fixtures';

// Secrets → Import (issue 12): paste or choose a file, preview every key, pick
// skip/overwrite, apply all or nothing, a stale preview refused; pasting
// KEY=value lines into the Add dialog's key field opens the same preview.
// Run at a desktop and a phone width.

const STALE = 'Secrets changed since this preview. Review the new preview.';

/** No input or textarea on the page holds `text`. */
async function expectNoFieldHolds(page: Page, text: string) {
  const values = await page.locator('input, textarea').evaluateAll((els) => els.map((el) => (el as HTMLInputElement).value));
  expect(values.filter((v) => v.includes(text))).toEqual([]);
}

for (const width of [1280, 390]) {
  test.describe(`at ${width} px`, () => {
    test.use({ viewport: { width, height: 900 } });

    test('an owner imports a .env into two environments, through a stale preview, and sees duplicate values marked', async ({ page, context, request }) => {
      test.slow();
      const canary = `canary-${suffix()}${suffix()}`;
      const shared = `shared-${suffix()}${suffix()}`;
      const { slug } = await createProject(page, `Import ${width} ${suffix()}`);

      await openSecrets(page, slug, 'staging');
      await addSecret(page, { key: 'STRIPE_KEY', value: shared });
      await openSecrets(page, slug, 'production');
      await addSecret(page, { key: 'EXISTING', value: 'old value' });

      const text = ['# from vtex.env', `export NEW_ONE="${canary}"`, `STRIPE_LIVE=${shared}`, 'EXISTING=new value', 'TWICE=a', 'TWICE=b', '1BAD=x', ''].join(
        '\r\n',
      );

      const start = dialog(page, 'Import secrets');
      await test.step('paste the text: it is never shown in a field', async () => {
        await page.getByRole('button', { name: 'Import', exact: true }).click();
        await expect(start).toBeVisible();
        await paste(field(start, 'Paste .env or JSON'), text);
        await expect(start.getByText('Pasted text: 7 lines (not shown)')).toBeVisible();
        await expectNoFieldHolds(page, canary);
        await start.getByLabel('Development').check();
        await start.getByRole('button', { name: 'Preview' }).click();
      });

      const preview = dialog(page, 'Import preview');
      await test.step('the preview lists every key with its status and counts, never a value', async () => {
        await expect(preview).toBeVisible();
        const counts = preview.getByRole('list', { name: 'Counts' });
        await expect(counts).toContainText('New: 5');
        await expect(counts).toContainText('Changed: 1');
        await expect(counts).toContainText('Invalid: 1');
        await expect(counts).toContainText('Duplicate in file: 1');
        await expect(preview.getByRole('row').filter({ hasText: 'TWICE' })).toContainText('Written on lines 5 and 6');
        await expect(preview.getByRole('row').filter({ hasText: '1BAD' })).toContainText(
          'Secret key may contain only letters, digits and underscores, and cannot start with a digit (line 7)',
        );
        await expect(preview).not.toContainText(canary);
        await expect(preview.getByLabel('EXISTING in Production')).toHaveValue('skip');
        await preview.getByLabel('EXISTING in Production').selectOption('overwrite');
        await expect(preview.getByRole('button', { name: 'Import 6 secrets' })).toBeEnabled();
      });

      await test.step('someone changes EXISTING meanwhile: applying is refused with a fresh preview', async () => {
        const other = await context.newPage();
        await other.goto(secretsUrl(slug, 'production'));
        await rowAction(other, 'EXISTING', 'Edit');
        const edit = dialog(other, 'Edit Secret');
        await field(edit, 'New Value').fill('changed elsewhere');
        await edit.getByRole('button', { name: 'Update Secret' }).click();
        await expectToast(other, 'Secret updated successfully');
        await other.close();

        await preview.getByRole('button', { name: 'Import 6 secrets' }).click();
        await expect(preview.getByText(STALE)).toBeVisible();
        await expect(preview.getByLabel('EXISTING in Production')).toHaveValue('skip');
      });

      await test.step('the fresh preview applies, all of it', async () => {
        await preview.getByLabel('EXISTING in Production').selectOption('overwrite');
        await preview.getByRole('button', { name: 'Import 6 secrets' }).click();
        await expectToast(page, 'Import complete: 5 created, 1 updated');
        await expect(preview).toBeHidden();
        await expect(secretRow(page, 'NEW_ONE')).toBeVisible();
        // Imported into Development too: the same values live there (and in Staging's STRIPE_KEY).
        await expect(secretRow(page, 'STRIPE_LIVE')).toContainText('Same value as STRIPE_LIVE in Development and 1 more');
        await expect(secretRow(page, 'EXISTING')).toContainText('Same value as EXISTING in Development');
        await expect(page.getByRole('table')).not.toContainText(canary);
        const flight = await fetchFlight(request, secretsUrl(slug, 'production'));
        expect(await flight.text()).not.toContain(canary);
      });

      await test.step('KEY=value lines pasted into the Add dialog’s key field open the preview instead', async () => {
        const form = await openAddSecret(page);
        await paste(field(form, 'Secret Key'), `PASTED_ONE=${canary}\nPASTED_TWO=two\n`);
        await expect(preview).toBeVisible();
        await expect(form).toBeHidden();
        await expect(preview.getByRole('list', { name: 'Counts' })).toContainText('New: 2');
        await expectNoFieldHolds(page, canary);
        await preview.getByRole('button', { name: 'Import 2 secrets' }).click();
        await expectToast(page, 'Import complete: 2 created, 0 updated');
        await expect(secretRow(page, 'PASTED_ONE')).toBeVisible();
      });
    });
  });
}
