import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Locator, Page } from '@playwright/test';
import {
  DEPLOY_TEXT,
  OWNER,
  addSecret,
  chooseOption,
  confirmRedeploy,
  createProject,
  dialog,
  expect,
  expectChosen,
  expectToast,
  fetchFlight,
  field,
  fillSecretForm,
  openAddSecret,
  openRedeploy,
  openSecrets,
  paste,
  pendingBanner,
  rowAction,
  rowMenuButton,
  sharedProject,
  suffix,
  test,
} from './fixtures';
import { expectAccessible } from './axe';

// Deployments (DESIGN.md §6-§7, issue 3): the banner, the diff, Redeploy, the
// Deploys page, a signed deploy hook verified by a real receiver on
// 127.0.0.1, a failing receiver and a retry. `page` is the saved OWNER.

const TEXT = {
  ...DEPLOY_TEXT,
  rebuild: 'Rebuild needed: this key is embedded in browser bundles',
  unsigned: 'Without a signing secret, notifications are sent unsigned: the receiver cannot tell them from forged ones.',
  hookSaved: 'Deploy hook saved',
} as const;

// ---------------------------------------------------------------- a real receiver

type Delivery = { headers: http.IncomingHttpHeaders; body: string; verified: boolean };

/** A deploy hook receiver that verifies signatures the way the README (Deployments and deploy hooks) tells receivers to. */
class Receiver {
  /** ok: 204 · fail: 500 · slow: 204 after `slowMs`. */
  mode: 'ok' | 'fail' | 'slow' = 'ok';
  slowMs = 4_000;
  deliveries: Delivery[] = [];
  url = '';
  private server: http.Server;

  constructor(private secret: string | null) {
    this.server = http.createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => (body += chunk));
      req.on('end', () => {
        this.deliveries.push({ headers: req.headers, body, verified: this.verify(req.headers, body) });
        // No keep-alive: an idle connection the server times out while Keyhold reuses it resets (ECONNRESET) on a busy machine.
        const answer = () => res.writeHead(this.mode === 'fail' ? 500 : 204, { connection: 'close' }).end();
        if (this.mode === 'slow') setTimeout(answer, this.slowMs);
        else answer();
      });
    });
  }

  private verify(headers: http.IncomingHttpHeaders, body: string): boolean {
    if (!this.secret) return false;
    const timestamp = String(headers['keyhold-timestamp'] ?? '');
    const expected = Buffer.from(`v1=${createHmac('sha256', this.secret).update(`${timestamp}.${body}`).digest('hex')}`);
    const given = Buffer.from(String(headers['keyhold-signature'] ?? ''));
    const fresh = Math.abs(Date.now() / 1000 - Number(timestamp)) < 300;
    return fresh && given.length === expected.length && timingSafeEqual(given, expected);
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as AddressInfo;
    // The path carries a token, as many real hook URLs do: it must never show to members or in the audit log.
    this.url = `http://127.0.0.1:${port}/hooks/keyhold/tok_${randomUUID().replace(/-/g, '')}`;
    return this;
  }

  last(): Delivery {
    const delivery = this.deliveries.at(-1);
    if (!delivery) throw new Error('the receiver got no delivery');
    return delivery;
  }

  async stop() {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

// ---------------------------------------------------------------- UI helpers

const deploysUrl = (slug: string) => `/projects/${slug}/deploys`;

function deployRow(page: Page, number: number, env: string): Locator {
  return page
    .getByRole('table', { name: 'Deployments' })
    .getByRole('row')
    .filter({ has: page.getByRole('cell', { name: `#${number}`, exact: true }) })
    .filter({ has: page.getByRole('cell', { name: env, exact: true }) });
}

async function saveHook(page: Page, slug: string, env: string, url: string, signingKey: string | null) {
  await page.goto(`/projects/${slug}/settings/general`);
  const form = page.getByRole('form', { name: `${env} deploy hook` });
  await field(form, 'Deploy hook URL').fill(url);
  if (signingKey) await chooseOption(field(form, 'Signing secret'), signingKey);
  else await expect(form.getByText(TEXT.unsigned)).toBeVisible();
  await form.getByRole('button', { name: 'Save hook' }).click();
  await expectToast(page, TEXT.hookSaved);
  return form;
}

// ---------------------------------------------------------------- specs

test('an owner redeploys through the banner, with a signed hook, a failing receiver and a retry', async ({ page }) => {
  test.slow();
  const canary = `canary-${suffix()}${suffix()}-value`;
  const signingValue = `whsec_${suffix()}${suffix()}${suffix()}`;
  const receiver = await new Receiver(signingValue).start();
  try {
    const { slug } = await createProject(page, `Deploys ${suffix()}`);

    await test.step('a change shows the banner; Redeploy shows the diff without values, then deploys', async () => {
      await openSecrets(page, slug, 'production');
      await expect(pendingBanner(page)).toHaveCount(0);
      await addSecret(page, { key: 'STRIPE_API_KEY', value: canary });
      await addSecret(page, { key: 'NEXT_PUBLIC_SITE_URL', value: 'https://site.example.test' });
      await expect(pendingBanner(page).getByText(TEXT.pending, { exact: true })).toBeVisible();

      const diff = await openRedeploy(page);
      const added = diff.getByRole('region', { name: 'Added keys' });
      await expect(added).toContainText('STRIPE_API_KEY');
      await expect(added).toContainText('NEXT_PUBLIC_SITE_URL');
      await expect(diff.getByText(TEXT.rebuild, { exact: true })).toHaveCount(1);
      await expect(diff).toContainText('No deploy hook is set');
      await expect(diff).not.toContainText(canary);
      await confirmRedeploy(page, diff);
      await expectToast(page, TEXT.deployed);
      await expect(pendingBanner(page)).toHaveCount(0);
      expect(await page.content()).not.toContain(canary);
    });

    await test.step('the Deploys page lists it: number, environment, status, who, changes', async () => {
      await page.getByRole('navigation', { name: 'Project' }).getByRole('link', { name: 'Deploys' }).click();
      await expect(page.getByRole('heading', { name: 'Deploys', exact: true })).toBeVisible();
      for (const column of ['Deployment', 'Environment', 'Status', 'Triggered by', 'When', 'Duration', 'Changes']) {
        await expect(page.getByRole('columnheader', { name: column, exact: true })).toBeVisible();
      }
      const row = deployRow(page, 1, 'Production');
      await expect(row).toContainText('Succeeded');
      await expect(row).toContainText('Live');
      await expect(row).toContainText(OWNER.name);
      await expect(row).toContainText('2 added');
      await row.getByText('2 added').click();
      await expect(row).toContainText('STRIPE_API_KEY');
      expect(await page.content()).not.toContain(canary);
      // The server-rendered HTML and RSC payloads of the deploy pages carry keys, never values.
      for (const url of [deploysUrl(slug), `/projects/${slug}`, `/projects/${slug}/settings/secrets?env=production`]) {
        const html = await (await page.request.get(url)).text();
        expect(html, url).toContain('STRIPE_API_KEY');
        expect(html, url).not.toContain(canary);
        const flight = await fetchFlight(page.request, url);
        expect(flight.headers()['content-type']).toContain('text/x-component');
        const payload = await flight.text();
        expect(payload, url).toContain('STRIPE_API_KEY');
        expect(payload, url).not.toContain(canary);
      }
    });

    await test.step('a signing secret is chosen from the stored keys; the hook is saved', async () => {
      await openSecrets(page, slug, 'production');
      await addSecret(page, { key: 'DEPLOY_HOOK_SECRET', value: signingValue });
      const form = await saveHook(page, slug, 'Production', receiver.url, 'DEPLOY_HOOK_SECRET');
      await expect(form.getByText(TEXT.unsigned)).toHaveCount(0);
      // A URL that is not http(s) is refused next to the field.
      await field(form, 'Deploy hook URL').fill('ftp://files.example.test/hook');
      await form.getByRole('button', { name: 'Save hook' }).click();
      await expect(form.getByText('Deploy hook URL must start with http:// or https://')).toBeVisible();
      await page.reload();
      await expect(field(page.getByRole('form', { name: 'Production deploy hook' }), 'Deploy hook URL')).toHaveValue(receiver.url);
    });

    await test.step('the signing secret cannot be deleted while the hook uses it', async () => {
      await openSecrets(page, slug, 'production');
      await rowAction(page, 'DEPLOY_HOOK_SECRET', 'Delete');
      const confirm = dialog(page, 'Delete Secret');
      await confirm.getByRole('button', { name: 'Delete secret' }).click();
      await expectToast(page, 'This secret signs the production deploy hook. Choose another signing secret first.');
      await page.keyboard.press('Escape');
    });

    await test.step('Redeploy notifies the receiver, which verifies the signature; no value travels', async () => {
      await openSecrets(page, slug, 'production');
      const diff = await openRedeploy(page);
      await expect(diff.getByRole('region', { name: 'Added keys' })).toContainText('DEPLOY_HOOK_SECRET');
      await expect(diff).toContainText(`Keyhold will notify ${new URL(receiver.url).origin} (signed)`);
      await confirmRedeploy(page, diff);
      await expectToast(page, TEXT.deployed);
      expect(receiver.deliveries).toHaveLength(1);
      const delivery = receiver.last();
      expect(delivery.verified, 'the receiver verified Keyhold-Signature').toBe(true);
      expect(delivery.headers['content-type']).toBe('application/json');
      expect(delivery.headers['keyhold-delivery']).toMatch(/^[0-9a-f-]{36}$/);
      expect(JSON.parse(delivery.body)).toMatchObject({
        project: { slug },
        environment: 'production',
        deployment: 2,
        changes: { added: ['DEPLOY_HOOK_SECRET'], changed: [], removed: [] },
      });
      expect(delivery.body).not.toContain(canary);
      expect(delivery.body).not.toContain(signingValue);
    });

    await test.step('a receiver answering 500 fails the deployment; the banner stays; Retry succeeds once it is fixed', async () => {
      receiver.mode = 'fail';
      await rowAction(page, 'STRIPE_API_KEY', 'Edit');
      const edit = dialog(page, 'Edit Secret');
      await field(edit, 'New Value').fill(`${canary}-rotated`);
      await edit.getByRole('button', { name: 'Update Secret' }).click();
      await expectToast(page, 'Secret updated successfully');

      const diff = await openRedeploy(page);
      const changed = diff.getByRole('region', { name: 'Changed keys' });
      await expect(changed).toContainText('STRIPE_API_KEY');
      await expect(changed).toContainText('Value changed');
      await confirmRedeploy(page, diff);
      await expectToast(page, 'Deployment #3 failed: Hook answered 500');
      await expect(pendingBanner(page).getByText(TEXT.pending, { exact: true })).toBeVisible();
      expect(receiver.last().verified).toBe(true);

      await page.goto(deploysUrl(slug));
      const failed = deployRow(page, 3, 'Production');
      await expect(failed).toContainText('Failed');
      await expect(failed).toContainText('Hook answered 500');
      await expect(deployRow(page, 2, 'Production')).toContainText('Live');

      receiver.mode = 'ok';
      await failed.getByRole('button', { name: /^Retry/ }).click();
      await expectToast(page, 'Deployment #3 succeeded');
      await expect(failed).toContainText('Succeeded');
      await expect(failed).toContainText('Live');
      await expect(failed).toContainText('2 attempts');
      await expect(failed.getByRole('button', { name: /^Retry/ })).toHaveCount(0);
      await expect(deployRow(page, 2, 'Production')).not.toContainText('Live');
      expect(receiver.last().verified).toBe(true);
      expect(JSON.parse(receiver.last().body).deployment).toBe(3);
      expect(await page.content()).not.toContain(canary);
    });

    await test.step('the Deploys page follows a running deployment without a reload', async () => {
      receiver.mode = 'slow';
      const before = receiver.deliveries.length;
      await openSecrets(page, slug, 'production');
      await addSecret(page, { key: 'FEATURE_FLAGS', value: 'on' });
      const diff = await openRedeploy(page);
      await confirmRedeploy(page, diff);

      const watcher = await page.context().newPage();
      await expect.poll(() => receiver.deliveries.length).toBe(before + 1);
      await watcher.goto(deploysUrl(slug));
      const row = deployRow(watcher, 4, 'Production');
      await expect(row).toContainText('Running');
      await expect(row).toContainText('Succeeded', { timeout: 15_000 });
      await expect(row).toContainText('Live');
      await watcher.close();
      // Durable state only: the toast that announced it may be long gone on a busy machine.
      await expect(pendingBanner(page)).toHaveCount(0);
      receiver.mode = 'ok';
    });

    await test.step('the overview shows each environment and the keys missing in one', async () => {
      await openSecrets(page, slug, 'development');
      await addSecret(page, { key: 'DEV_ONLY_TOKEN', value: 'dev' });
      await page.goto(`/projects/${slug}`);
      const production = page.getByRole('article', { name: 'Production' });
      await expect(production).toContainText('#4');
      await expect(production).toContainText(/Pending changes\s*No/);
      await expect(production).toContainText(new URL(receiver.url).host);
      await expect(production).not.toContainText('tok_');
      const development = page.getByRole('article', { name: 'Development' });
      await expect(development).toContainText('Not deployed');
      await expect(development).toContainText(/Pending changes\s*Yes/);
      await expect(pendingBanner(page, 'Development').getByRole('button', { name: 'Redeploy' })).toBeVisible();

      const matrix = page.getByRole('table', { name: 'Keys across environments' });
      const stripe = matrix.getByRole('row').filter({ has: page.getByRole('rowheader', { name: 'STRIPE_API_KEY', exact: true }) });
      await expect(stripe.getByRole('cell')).toHaveText(['Missing', 'Missing', 'Present']);
      const devOnly = matrix.getByRole('row').filter({ has: page.getByRole('rowheader', { name: 'DEV_ONLY_TOKEN', exact: true }) });
      await expect(devOnly.getByRole('cell')).toHaveText(['Present', 'Missing', 'Missing']);
      expect(await page.content()).not.toContain(canary);
    });
  } finally {
    await receiver.stop();
  }
});

test('past 1,000 keys, a search finds the signing secret the select does not list, and the choice survives the search', async ({ page }) => {
  test.slow();
  const { slug } = await createProject(page, `Many keys ${suffix()}`);

  await test.step('import 1,001 keys into production', async () => {
    const lines = Array.from({ length: 1000 }, (_, i) => `K_${String(i).padStart(4, '0')}=v${i}`);
    await openSecrets(page, slug, 'production');
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    const start = dialog(page, 'Import secrets');
    await paste(field(start, 'Paste .env or JSON'), [...lines, `ZZ_WEBHOOK_SIGNER=whsec_${suffix()}${suffix()}`].join('\n'));
    await start.getByRole('button', { name: 'Preview' }).click();
    await dialog(page, 'Import preview').getByRole('button', { name: 'Import 1001 secrets' }).click();
    await expectToast(page, 'Import complete: 1001 created, 0 updated');
  });

  await page.goto(`/projects/${slug}/settings/general`);
  const form = page.getByRole('form', { name: 'Production deploy hook' });
  const signing = field(form, 'Signing secret');
  const find = field(form, 'Find a signing secret');
  await test.step('the select lists the first 1,000 keys; the search lists the others', async () => {
    await expect(signing.getByRole('option')).toHaveCount(1001); // None, and 1,000 keys
    await expect(signing.getByRole('option', { name: 'ZZ_WEBHOOK_SIGNER' })).toHaveCount(0);
    await expect(find).toHaveAccessibleDescription(/Production has more than 1,000 keys; the list shows the first 1,000/);
    await expect(page.getByRole('form', { name: 'Staging deploy hook' }).getByLabel('Find a signing secret')).toHaveCount(0);

    await find.fill('webhook');
    await expect(form.getByRole('status')).toHaveText('1 key contains “webhook”.');
    await expect(signing.getByRole('option')).toHaveText(['None (unsigned)', 'ZZ_WEBHOOK_SIGNER']);
    await expectAccessible(page, 'the signing secret search', 'light');
    await field(form, 'Deploy hook URL').fill('https://ci.example.test/hooks/keyhold');
    await chooseOption(signing, 'ZZ_WEBHOOK_SIGNER');
  });

  await test.step('another search keeps the chosen key listed and chosen', async () => {
    await find.fill('K_0999');
    await expect(form.getByRole('status')).toHaveText('1 key contains “K_0999”.');
    await expect(signing.getByRole('option')).toHaveText(['None (unsigned)', 'ZZ_WEBHOOK_SIGNER', 'K_0999']);
    await expectChosen(signing, 'ZZ_WEBHOOK_SIGNER');
    await find.fill('');
    await expectChosen(signing, 'ZZ_WEBHOOK_SIGNER');
  });

  await test.step('saved, and chosen again after a reload', async () => {
    await form.getByRole('button', { name: 'Save hook' }).click();
    await expectToast(page, TEXT.hookSaved);
    await page.reload();
    await expectChosen(field(page.getByRole('form', { name: 'Production deploy hook' }), 'Signing secret'), 'ZZ_WEBHOOK_SIGNER');
  });
});

test('a member sees deployments and hooks read-only: no Redeploy, no Retry, no hook URL', async ({ page, memberPage }) => {
  test.slow();
  const { slug } = sharedProject();
  const receiver = await new Receiver(null).start();
  receiver.mode = 'fail';
  try {
    await test.step('the owner makes a failing staging deployment in the shared project', async () => {
      await saveHook(page, slug, 'Staging', receiver.url, null);
      await openSecrets(page, slug, 'staging');
      await addSecret(page, { key: `MEMBER_VIEW_${suffix().toUpperCase()}`, value: `v-${suffix()}` });
      const diff = await openRedeploy(page, 'Staging');
      await expect(diff).toContainText('(unsigned)');
      await confirmRedeploy(page, diff);
      await expect(page.getByText(/^Deployment #\d+ failed: Hook answered 500$/).first()).toBeVisible();
    });

    await test.step('the member sees it, without Retry', async () => {
      await memberPage.goto(deploysUrl(slug));
      await expect(memberPage.getByRole('heading', { name: 'Deploys', exact: true })).toBeVisible();
      const rows = memberPage.getByRole('table', { name: 'Deployments' }).getByRole('row').filter({ hasText: 'Hook answered 500' });
      await expect(rows.first()).toBeVisible();
      await expect(memberPage.getByRole('button', { name: /^Retry/ })).toHaveCount(0);
    });

    await test.step('the overview shows the pending changes without Redeploy', async () => {
      await memberPage.goto(`/projects/${slug}`);
      await expect(pendingBanner(memberPage, 'Staging').getByText(TEXT.pending, { exact: true })).toBeVisible();
      await expect(memberPage.getByRole('button', { name: 'Redeploy' })).toHaveCount(0);
    });

    await test.step('General settings show where the hook points, not its URL, and no form', async () => {
      await memberPage.goto(`/projects/${slug}/settings/general`);
      await expect(memberPage.getByText(`Notifies ${new URL(receiver.url).origin}`)).toBeVisible();
      await expect(memberPage.getByRole('button', { name: 'Save hook' })).toHaveCount(0);
      expect(await memberPage.content()).not.toContain('tok_');
    });
  } finally {
    // Leave the shared project without a hook for the other specs.
    await page.goto(`/projects/${slug}/settings/general`);
    // Only when a hook was saved: otherwise Save stays disabled and the clean-up would hide the real failure behind a timeout.
    const form = page.getByRole('form', { name: 'Staging deploy hook' });
    const url = field(form, 'Deploy hook URL');
    if (await url.inputValue()) {
      await url.fill('');
      await form.getByRole('button', { name: 'Save hook' }).click();
      await expectToast(page, 'Deploy hook removed');
    }
    await receiver.stop();
  }
});

test('a Redeploy dialog opened from a toast gives focus back to where it was before the toast', async ({ page }) => {
  const { slug } = await createProject(page, `Toast focus ${suffix()}`);
  await openSecrets(page, slug);
  await addSecret(page, { key: 'FIRST_KEY', value: `v-${suffix()}` });

  // Added from the toolbar: focus goes back to `Add Secret` when the form closes.
  const add = page.getByRole('button', { name: 'Add Secret', exact: true });
  const form = await openAddSecret(page);
  await fillSecretForm(form, { key: 'SECOND_KEY', value: `v-${suffix()}` });
  await form.getByRole('button', { name: 'Create Secret' }).click();
  await expect(form).toBeHidden();
  await expect(add).toBeFocused();
  // The newest toast comes first; its action is clicked at once (toasts go away by themselves).
  await page.getByRole('listitem').filter({ hasText: 'New secret added successfully' }).first().getByRole('button', { name: 'Redeploy' }).click();
  const diff = dialog(page, 'Redeploy Production');
  await expect(diff).toBeVisible();
  await diff.getByRole('button', { name: 'Cancel' }).click();
  await expect(diff).toBeHidden();
  await expect(add, 'the toast is gone: focus returns to the button focused before it').toBeFocused();

  // Edited from a row's menu by keyboard: focus goes back to that row's Actions button, also after Escape.
  await rowAction(page, 'FIRST_KEY', 'Edit');
  const edit = dialog(page, 'Edit Secret');
  await field(edit, 'New Value').fill(`v-${suffix()}`);
  await edit.getByRole('button', { name: 'Update Secret' }).click();
  await expect(edit).toBeHidden();
  await page.getByRole('listitem').filter({ hasText: 'Secret updated successfully' }).first().getByRole('button', { name: 'Redeploy' }).click();
  await expect(diff).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(diff).toBeHidden();
  await expect(rowMenuButton(page, 'FIRST_KEY')).toBeFocused();
});

test('a Redeploy dialog opened from a toast after a click on the page gives focus back to the page, not to an older button', async ({ page }) => {
  const { slug } = await createProject(page, `Toast focus page ${suffix()}`);
  await openSecrets(page, slug);
  await addSecret(page, { key: 'FIRST_KEY', value: `v-${suffix()}` });

  const form = await openAddSecret(page);
  await fillSecretForm(form, { key: 'SECOND_KEY', value: `v-${suffix()}` });
  await form.getByRole('button', { name: 'Create Secret' }).click();
  await expect(form).toBeHidden();
  // A click on plain text moves focus to the page's <main> (tabindex -1): `Add Secret` is no longer where focus was.
  const main = page.locator('main');
  await page.getByText('API keys, passwords, tokens and connection strings').click();
  await expect(main).toBeFocused();
  await page.getByRole('listitem').filter({ hasText: 'New secret added successfully' }).first().getByRole('button', { name: 'Redeploy' }).click();
  const diff = dialog(page, 'Redeploy Production');
  await expect(diff).toBeVisible();
  await diff.getByRole('button', { name: 'Cancel' }).click();
  await expect(diff).toBeHidden();
  await expect(main).toBeFocused();
});
