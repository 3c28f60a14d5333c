import fs from 'node:fs';
import { randomUUID } from 'node:crypto';
import {
  addSecret,
  bearer,
  chooseOption,
  createProject,
  createToken,
  dialog,
  expect,
  expectToast,
  fetchFlight,
  field,
  openSecrets,
  redeploy,
  rowAction,
  sharedProject,
  suffix,
  test,
  tokensUrl,
} from './fixtures';

// The audit log page (issue 11), Restore this version from Change history and
// Roll back to #n from the Deploys page, end to end. `page` is the saved OWNER.

const DENIED = 'Only project owners and admins can see the audit log.';

test('restore, roll back, then read it all in the audit log: filter, export, and no value anywhere', async ({ page, request }) => {
  test.setTimeout(180_000);
  const canary1 = `canary-one-${randomUUID()}`;
  const canary2 = `canary-two-${randomUUID()}`;
  const { slug } = await createProject(page, `Audit ${suffix()}`);
  const key = `AUDITED_${suffix().toUpperCase()}`;

  // #1 carries canary1, #2 canary2.
  await openSecrets(page, slug);
  await addSecret(page, { key, value: canary1 });
  await redeploy(page);
  await rowAction(page, key, 'Edit');
  const edit = dialog(page, 'Edit Secret');
  await field(edit, 'New Value').fill(canary2);
  await edit.getByRole('button', { name: 'Update Secret' }).click();
  await expectToast(page, 'Secret updated successfully');
  await redeploy(page);

  // Restore version 1 from Change history: a new version 3, the environment pending again.
  await rowAction(page, key, 'Change history');
  const history = dialog(page, 'Change history');
  const created = history.getByRole('listitem').filter({ hasText: 'Created (version 1)' });
  await created.getByRole('button', { name: 'Restore this version' }).click();
  await expectToast(page, 'Version 1 restored as version 3');
  await expect(history.getByRole('listitem').filter({ hasText: 'Version 1 restored (version 3)' })).toBeVisible();
  // The current version offers no restore.
  await expect(history.getByRole('listitem').first().getByRole('button', { name: 'Restore this version' })).toHaveCount(0);
  await history.getByRole('button', { name: 'Close' }).click();
  await expect(page.getByRole('region', { name: 'Pending changes in Production' })).toBeVisible();

  // Roll back to #1 from the Deploys page: #3 carries #1's secrets; the working set stays pending.
  await page.goto(`/projects/${slug}/deploys`);
  await page.getByRole('button', { name: 'Roll back to #1 of Production' }).click();
  const confirm = dialog(page, 'Roll back to #1');
  await confirm.getByRole('button', { name: 'Roll back', exact: true }).click();
  await expectToast(page, 'Rolled back to #1');
  const third = page.getByRole('row').filter({ hasText: 'Rollback to #1' });
  await expect(third).toContainText('#3');
  await expect(third).toContainText('Live');
  await page.goto(`/projects/${slug}`);
  await expect(page.getByRole('region', { name: 'Pending changes in Production' })).toBeVisible();

  // A machine reads #3: canary1 is what is live.
  await page.goto(tokensUrl(slug));
  const token = await createToken(page, `ci-${suffix()}`);
  const read = await request.get('/api/v1/secrets', { headers: bearer(token) });
  expect(read.status()).toBe(200);
  expect((await read.json()).secrets[key]).toBe(canary1);

  // The audit log, from the settings navigation.
  await page.goto(`/projects/${slug}/settings/secrets`);
  await page.getByRole('navigation', { name: 'Settings' }).getByRole('link', { name: 'Audit log' }).click();
  await expect(page.getByRole('heading', { name: 'Audit log' })).toBeVisible();
  const table = page.getByRole('table', { name: 'Audit events' });
  for (const header of ['Time', 'Actor', 'Action', 'Target', 'Environment', 'Address']) {
    await expect(table.getByRole('columnheader', { name: header, exact: true })).toBeVisible();
  }
  await expect(table.getByRole('row').filter({ hasText: 'Token created' })).toContainText('Olivia Owner');
  await expect(table.getByRole('row').filter({ hasText: 'Deployment rolled back' })).toContainText('rollbackOf: 1');
  await expect(page.getByTestId('chain-status')).toBeVisible();

  // A filter, kept in the URL.
  await chooseOption(field(page, 'Action'), 'Secret version restored');
  await page.getByRole('button', { name: 'Apply filters' }).click();
  await expect.poll(() => new URL(page.url()).searchParams.get('action')).toBe('secret.restored');
  await expect(table.getByRole('row')).toHaveCount(2);
  const restored = table.getByRole('row').nth(1);
  await expect(restored).toContainText(key);
  await expect(restored).toContainText('Olivia Owner');
  await expect(restored).toContainText('fromVersion: 1 · newVersion: 3');

  // Export CSV of the filtered events: a download.
  const downloading = page.waitForEvent('download');
  await page.getByRole('link', { name: 'Export CSV' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(new RegExp(`^keyhold-audit-${slug}-\\d{4}-\\d{2}-\\d{2}\\.csv$`));
  const csv = fs.readFileSync((await download.path())!, 'utf8');
  const lines = csv.trim().split('\r\n');
  expect(lines[0]).toBe('Time,Actor,Action,Target,Environment,Address,Details');
  expect(lines).toHaveLength(2);
  expect(lines[1]).toContain(`secret.restored,${key},production`);

  // Never a value or the token: the page's HTML and RSC payload, both exports.
  const jsonl = await request.get(`/projects/${slug}/audit/export?format=jsonl`);
  expect(jsonl.headers()['content-disposition']).toMatch(/^attachment; /);
  const jsonlText = await jsonl.text();
  expect(jsonlText.split('\n').length).toBeGreaterThan(10);
  const payloads = [
    csv,
    jsonlText,
    await page.content(),
    await (await request.get(`/projects/${slug}/audit`)).text(),
    await (await fetchFlight(request, `/projects/${slug}/audit`)).text(),
  ];
  for (const text of payloads) {
    for (const secret of [canary1, canary2, token]) expect(text).not.toContain(secret);
  }
});

test('a member gets the permission notice and no export', async ({ memberPage }) => {
  const { slug } = sharedProject();
  await memberPage.goto(`/projects/${slug}/audit`);
  await expect(memberPage.getByRole('heading', { name: 'Audit log' })).toBeVisible();
  await expect(memberPage.getByText(DENIED)).toBeVisible();
  await expect(memberPage.getByRole('table')).toHaveCount(0);
  await expect(memberPage.getByRole('link', { name: 'Export CSV' })).toHaveCount(0);
  const refused = await memberPage.request.get(`/projects/${slug}/audit/export?format=csv`);
  expect(refused.status()).toBe(403);
  expect(await refused.json()).toEqual({ error: { code: 'forbidden', message: DENIED } });
});
