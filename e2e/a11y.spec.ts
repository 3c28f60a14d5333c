import type { Browser, Locator, Page } from '@playwright/test';
import { AUTH } from './env';
import { expectAccessible, THEMES, useTheme } from './axe';
import {
  addSecret,
  confirmRedeploy,
  createInviteLink,
  createProject,
  createToken,
  dialog,
  expect,
  expectToast,
  field,
  joinWithInvite,
  membersUrl,
  openAddSecret,
  openRedeploy,
  openSecrets,
  redeploy,
  rowAction,
  rowMenuButton,
  secretsUrl,
  suffix,
  test,
  tokensUrl,
  paste,
} from './fixtures';

// Accessibility: axe-core on every page and every dialog in both themes, the
// skip link and <main>, focus returning to the opener, and phone width (390 px).
//
// To cover a new page or dialog, add it to signedInPages() or signedOutPages():
// a state is a URL plus, optionally, what to open there.

type Data = {
  slug: string;
  /** A project without secrets (its overview shows the Get started steps). */
  emptySlug: string;
  memberEmail: string;
  tokenName: string;
  inviteLink: string;
  resetLink: string;
};
let data: Data;

const PUBLIC_KEY = 'NEXT_PUBLIC_A11Y_ANALYTICS_ID';
const KEY = 'A11Y_DATABASE_URL';
const REBUILD_NEEDED = 'Rebuild needed: this key is embedded in browser bundles';

/** A project with secrets, a succeeded and a failed deployment, pending changes, a token, a member and an invite. */
async function seed(browser: Browser): Promise<Data> {
  const context = await browser.newContext({ storageState: AUTH.owner });
  const page = await context.newPage();
  const id = suffix();
  const { slug } = await createProject(page, `A11y ${id}`);
  await openSecrets(page, slug);
  await addSecret(page, { key: KEY, value: 'postgres://a11y', description: 'The primary database' });
  await redeploy(page);
  await addSecret(page, { key: 'A11Y_REDIS_URL', value: 'redis://a11y' });
  await redeploy(page); // #2: #1 can be rolled back to
  await addSecret(page, { key: PUBLIC_KEY, value: 'G-A11Y' });

  // A hook nobody answers: the next deployment fails and offers Retry.
  await page.goto(`/projects/${slug}/settings/general`);
  const hook = page.getByRole('form', { name: 'Production deploy hook' });
  await field(hook, 'Deploy hook URL').fill('http://127.0.0.1:9/keyhold-a11y');
  await hook.getByRole('button', { name: 'Save hook' }).click();
  await expectToast(page, 'Deploy hook saved');
  await openSecrets(page, slug);
  await confirmRedeploy(page, await openRedeploy(page));
  await page.goto(`/projects/${slug}/deploys`);
  await expect(page.getByRole('button', { name: /^Retry deployment #3/ })).toBeVisible();

  await page.goto(tokensUrl(slug));
  const tokenName = `ci-a11y-${id}`;
  await createToken(page, tokenName);

  // Long: unwrapped, its line in the member list is wider than a phone (the 390 px test).
  const memberEmail = `a11y-member-with-a-long-address-${id}@keyhold.test`;
  const joined = await createInviteLink(page, slug, memberEmail, 'Member');
  const visitor = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  await joinWithInvite(await visitor.newPage(), joined, { name: `A11y Member ${id}`, password: `e2e-A11y-${id}-pw!` }, slug);
  await visitor.close();
  const inviteLink = await createInviteLink(page, slug, `a11y-invitee-${id}@keyhold.test`, 'Admin');

  await page.goto(membersUrl(slug));
  await page.getByRole('button', { name: `Reset password for ${memberEmail}`, exact: true }).click();
  const resetLink = await dialog(page, 'Password reset link').getByRole('textbox', { name: 'Reset link' }).inputValue();
  const { slug: emptySlug } = await createProject(page, `A11y empty ${id}`);
  await context.close();
  return { slug, emptySlug, memberEmail, tokenName, inviteLink, resetLink };
}

test.beforeAll(async ({ browser }) => {
  test.setTimeout(180_000);
  data = await seed(browser);
});

/** Something to look at: a page, and optionally what to open on it (returns the opened dialog or menu). */
type State = { name: string; url: string; open?: (page: Page) => Promise<Locator | void> };

async function openImport(page: Page) {
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  return opened(dialog(page, 'Import secrets'));
}

const opened = async (locator: Locator) => {
  await expect(locator).toBeVisible();
  return locator;
};

function signedInPages({ slug, emptySlug, memberEmail, tokenName }: Data): State[] {
  const secrets = secretsUrl(slug);
  return [
    { name: 'projects', url: '/projects' },
    {
      name: 'new project dialog',
      url: '/projects',
      open: async (page) => {
        await page.getByRole('button', { name: 'New project' }).click();
        return opened(dialog(page, 'New project'));
      },
    },
    {
      name: 'account menu',
      url: '/projects',
      open: async (page) => {
        await page.getByRole('button', { name: 'Account' }).click();
        return opened(page.getByRole('menu'));
      },
    },
    { name: 'overview', url: `/projects/${slug}` },
    { name: 'overview of an empty project', url: `/projects/${emptySlug}` },
    {
      name: 'add secret dialog from a Missing cell, with Generate options',
      url: `/projects/${slug}`,
      open: async (page) => {
        await page.getByRole('button', { name: `Add ${KEY} to Staging`, exact: true }).click();
        const add = await opened(dialog(page, 'Add Secret'));
        await add.getByRole('button', { name: 'Generate', exact: true }).click();
        await expect(field(add, 'Length')).toBeVisible();
        return add;
      },
    },
    { name: 'redeploy dialog (overview)', url: `/projects/${slug}`, open: (page) => openRedeploy(page) },
    { name: 'deploys', url: `/projects/${slug}/deploys` },
    {
      name: 'roll back dialog',
      url: `/projects/${slug}/deploys`,
      open: async (page) => {
        await page.getByRole('button', { name: 'Roll back to #1 of Production', exact: true }).click();
        return opened(dialog(page, 'Roll back to #1'));
      },
    },
    { name: 'audit log', url: `/projects/${slug}/audit` },
    {
      name: 'deploys, changes expanded',
      url: `/projects/${slug}/deploys`,
      open: async (page) => {
        for (const summary of await page.locator('summary').all()) await summary.click();
      },
    },
    { name: 'secrets', url: secrets },
    { name: 'secrets, empty environment', url: secretsUrl(slug, 'staging') },
    { name: 'secrets, nothing matches', url: `${secrets}&q=no-such-a11y-key` },
    { name: 'redeploy dialog', url: secrets, open: (page) => openRedeploy(page) },
    { name: 'add secret dialog', url: secrets, open: (page) => openAddSecret(page) },
    {
      name: 'add secret dialog with errors and a public key',
      url: secrets,
      open: async (page) => {
        const form = await openAddSecret(page);
        await field(form, 'Secret Key').fill('next_public_lower');
        await form.getByRole('button', { name: 'Create Secret' }).click();
        await expect(form.getByRole('alert').first()).toBeVisible();
        return form;
      },
    },
    {
      name: 'add secret dialog refusing a credential under NEXT_PUBLIC_',
      url: secrets,
      open: async (page) => {
        const form = await openAddSecret(page);
        await field(form, 'Secret Key').fill('NEXT_PUBLIC_A11Y_STRIPE_KEY');
        await field(form, 'Secret Value').fill(`sk_live_${'a'.repeat(24)}`);
        await form.getByRole('button', { name: 'Create Secret' }).click();
        await expect(field(form, 'Secret Value')).toHaveAttribute('aria-invalid', 'true');
        return form;
      },
    },
    { name: 'import dialog', url: secrets, open: openImport },
    {
      name: 'import preview',
      url: secrets,
      open: async (page) => {
        const start = await openImport(page);
        await paste(field(start, 'Paste .env or JSON'), `${KEY}=changed\nA11Y_NEW=1\n1BAD=x\nTWICE=1\nTWICE=2\n`);
        await start.getByRole('button', { name: 'Preview' }).click();
        const preview = await opened(dialog(page, 'Import preview'));
        await expect(preview.getByRole('list', { name: 'Counts' })).toContainText('Invalid: 1');
        return preview;
      },
    },
    {
      name: 'row menu',
      url: secrets,
      open: async (page) => {
        await rowMenuButton(page, KEY).click();
        return opened(page.getByRole('menu'));
      },
    },
    {
      name: 'edit secret dialog',
      url: secrets,
      open: async (page) => {
        await rowAction(page, KEY, 'Edit');
        return opened(dialog(page, 'Edit Secret'));
      },
    },
    {
      name: 'change history dialog',
      url: secrets,
      open: async (page) => {
        await rowAction(page, KEY, 'Change history');
        const history = await opened(dialog(page, 'Change history'));
        await expect(history.locator('[aria-busy="true"]')).toHaveCount(0);
        return history;
      },
    },
    {
      name: 'delete secret dialog',
      url: secrets,
      open: async (page) => {
        await rowAction(page, KEY, 'Delete');
        return opened(dialog(page, 'Delete Secret'));
      },
    },
    { name: 'general settings', url: `/projects/${slug}/settings/general` },
    { name: 'members', url: membersUrl(slug) },
    {
      name: 'remove member dialog',
      url: membersUrl(slug),
      open: async (page) => {
        await page.getByRole('button', { name: `Remove ${memberEmail}`, exact: true }).click();
        return opened(dialog(page, 'Remove member'));
      },
    },
    {
      name: 'password reset link dialog',
      url: membersUrl(slug),
      open: async (page) => {
        await page.getByRole('button', { name: `Reset password for ${memberEmail}`, exact: true }).click();
        return opened(dialog(page, 'Password reset link'));
      },
    },
    { name: 'tokens', url: tokensUrl(slug) },
    {
      name: 'new token panel',
      url: tokensUrl(slug),
      open: async (page) => {
        await createToken(page, `axe-${suffix()}`);
      },
    },
    {
      name: 'revoke token dialog',
      url: tokensUrl(slug),
      open: async (page) => {
        await page.getByRole('button', { name: `Revoke ${tokenName}`, exact: true }).click();
        return opened(dialog(page, 'Revoke token'));
      },
    },
    { name: 'account', url: '/account' },
    {
      name: 'second factor set-up',
      url: '/account',
      open: async (page) => {
        await page.getByRole('button', { name: 'Set up second factor' }).click();
        await expect(page.getByRole('img', { name: 'QR code for your authenticator app' })).toBeVisible();
      },
    },
    { name: 'project not found', url: '/projects/no-such-project-a11y' },
  ];
}

/** /setup is checked in auth.setup.ts: it exists only before the first account. */
function signedOutPages({ inviteLink, resetLink }: Data): State[] {
  return [
    { name: 'sign in', url: '/login' },
    {
      name: 'sign in with an error',
      url: '/login',
      open: async (page) => {
        await field(page, 'Email').fill('nobody@keyhold.test');
        await field(page, 'Password').fill('not-the-password');
        await page.getByRole('button', { name: 'Sign in' }).click();
        await expect(page.getByText('Invalid email or password')).toBeVisible();
      },
    },
    { name: 'invite', url: inviteLink },
    {
      name: 'invite with errors',
      url: inviteLink,
      open: async (page) => {
        await page.getByRole('button', { name: 'Join project' }).click();
        await expect(page.getByRole('alert').first()).toBeVisible();
      },
    },
    { name: 'invite not valid', url: '/invite/not-a-real-invite-token' },
    { name: 'reset password', url: resetLink },
    { name: 'reset link not valid', url: '/reset/not-a-real-reset-token' },
    { name: 'page not found', url: '/no-such-page-a11y' },
  ];
}

async function check(page: Page, state: State, theme: (typeof THEMES)[number]) {
  await test.step(state.name, async () => {
    await page.goto(state.url);
    await state.open?.(page);
    await expectAccessible(page, state.name, theme);
  });
}

for (const theme of THEMES) {
  test(`every signed-in page and dialog passes axe in the ${theme} theme`, async ({ page }) => {
    test.setTimeout(240_000);
    await useTheme(page, theme);
    for (const state of signedInPages(data)) await check(page, state, theme);
  });

  test(`every signed-out page passes axe in the ${theme} theme`, async ({ newVisitor }) => {
    test.slow();
    const page = await newVisitor();
    await useTheme(page, theme);
    for (const state of signedOutPages(data)) await check(page, state, theme);
  });
}

test('every page has one <main>, and its first focusable element is a skip link to it', async ({ page, newVisitor }) => {
  test.slow();
  const visitor = await newVisitor();
  const pages: [Page, string][] = [
    ...signedInPages(data)
      .filter((state) => !state.open)
      .map((state) => [page, state.url] as [Page, string]),
    ...signedOutPages(data)
      .filter((state) => !state.open)
      .map((state) => [visitor, state.url] as [Page, string]),
  ];
  for (const [p, url] of pages) {
    await test.step(url, async () => {
      await p.goto(url);
      await expect(p.getByRole('main')).toHaveCount(1);
      const skip = p.getByRole('link', { name: 'Skip to content' });
      const firstFocusable = await p.evaluate(
        () =>
          document.querySelector<HTMLElement>(
            'a[href], button:not([disabled]), input:not([disabled]):not([type="hidden"]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])',
          )?.innerText,
      );
      expect(firstFocusable).toBe('Skip to content');
      // Hidden until focused (sign-in forms focus their first field, so it is focused directly there).
      expect(await skip.evaluate((a) => a.getBoundingClientRect().width)).toBeLessThanOrEqual(1);
      if (await p.evaluate(() => document.activeElement === document.body)) await p.keyboard.press('Tab');
      else await skip.focus();
      await expect(skip).toBeFocused();
      await expect(skip).toBeInViewport();
      expect(await skip.evaluate((a) => a.getBoundingClientRect().width)).toBeGreaterThan(20);
      await p.keyboard.press('Enter');
      await expect(p.getByRole('main')).toBeFocused();
    });
  }
});

test.describe('focus returns to the opener when a dialog closes', () => {
  test('Redeploy, from the banner', async ({ page }) => {
    await openSecrets(page, data.slug);
    const opener = page.getByRole('region', { name: 'Pending changes in Production' }).getByRole('button', { name: 'Redeploy' });
    for (const close of ['Cancel', 'Escape'] as const) {
      const diff = await openRedeploy(page);
      if (close === 'Cancel') await diff.getByRole('button', { name: 'Cancel' }).click();
      else await page.keyboard.press('Escape');
      await expect(diff).toBeHidden();
      await expect(opener).toBeFocused();
    }
  });

  test('Remove member', async ({ page }) => {
    await page.goto(membersUrl(data.slug));
    const opener = page.getByRole('button', { name: `Remove ${data.memberEmail}`, exact: true });
    for (const close of ['Cancel', 'Escape'] as const) {
      await opener.click();
      const confirm = dialog(page, 'Remove member');
      await expect(confirm).toBeVisible();
      if (close === 'Cancel') await confirm.getByRole('button', { name: 'Cancel' }).click();
      else await page.keyboard.press('Escape');
      await expect(confirm).toBeHidden();
      await expect(opener).toBeFocused();
    }
  });

  test('Revoke token', async ({ page }) => {
    await page.goto(tokensUrl(data.slug));
    const opener = page.getByRole('button', { name: `Revoke ${data.tokenName}`, exact: true });
    for (const close of ['Cancel', 'Escape'] as const) {
      // Opened from the keyboard as well as by a click.
      if (close === 'Escape') {
        await opener.focus();
        await page.keyboard.press('Enter');
      } else {
        await opener.click();
      }
      const confirm = dialog(page, 'Revoke token');
      await expect(confirm).toBeVisible();
      if (close === 'Cancel') await confirm.getByRole('button', { name: 'Cancel' }).click();
      else await page.keyboard.press('Escape');
      await expect(confirm).toBeHidden();
      await expect(opener).toBeFocused();
    }
  });
});

test.describe('after a confirmed removal, focus goes to the next row, else the previous one, else the list', () => {
  test('Revoke token', async ({ page }) => {
    const { slug } = await createProject(page, `Revoke focus ${suffix()}`);
    await page.goto(tokensUrl(slug));
    // Listed newest first: third, second, first.
    for (const name of ['first', 'second', 'third']) await createToken(page, name);
    const revokeButton = (name: string) => page.getByRole('button', { name: `Revoke ${name}`, exact: true });
    for (const [name, next] of [
      ['second', revokeButton('first')], // the next row
      ['first', revokeButton('third')], // the last row: the previous one that can still be revoked
      ['third', page.getByRole('region', { name: 'Service tokens' })], // none left: the list
    ] as const) {
      await revokeButton(name).click();
      await dialog(page, 'Revoke token').getByRole('button', { name: 'Revoke token' }).click();
      await expect(revokeButton(name)).toHaveCount(0);
      await expect(next).toBeFocused();
    }
  });

  test('Remove member', async ({ page, newVisitor }) => {
    const id = suffix();
    const { slug } = await createProject(page, `Remove focus ${id}`);
    const emails = ['one', 'two'].map((n) => `focus-${n}-${id}@keyhold.test`);
    for (const [i, email] of emails.entries()) {
      const link = await createInviteLink(page, slug, email, 'Member');
      await joinWithInvite(await newVisitor(), link, { name: `Focus ${i} ${id}`, password: `e2e-Focus-${i}-${id}-pw!` }, slug);
    }
    await page.goto(membersUrl(slug));
    const removeButton = (email: string) => page.getByRole('button', { name: `Remove ${email}`, exact: true });
    for (const [email, next] of [
      [emails[0], removeButton(emails[1])], // the next row
      [emails[1], page.getByRole('heading', { name: 'People with access' })], // only the owner's own (disabled) button is left: the list
    ] as const) {
      await removeButton(email).click();
      await dialog(page, 'Remove member').getByRole('button', { name: 'Remove member' }).click();
      await expect(removeButton(email)).toHaveCount(0);
      await expect(next).toBeFocused();
    }
  });
});

test('the Copy buttons say so when the clipboard is unavailable (plain-http installs)', async ({ page }) => {
  // Outside a secure context browsers have no navigator.clipboard.
  await page.addInitScript(() => Object.defineProperty(Navigator.prototype, 'clipboard', { get: () => undefined }));
  await createInviteLink(page, data.slug, `a11y-copy-${suffix()}@keyhold.test`, 'Member');
  await page.getByRole('button', { name: 'Copy', exact: true }).click();
  await expectToast(page, 'Could not copy. Select the link and copy it yourself.');
  await expect(page.getByText('Invite link copied')).toHaveCount(0);

  await page.goto(tokensUrl(data.slug));
  await createToken(page, `copy-${suffix()}`);
  await page.getByRole('status').getByRole('button', { name: 'Copy token', exact: true }).click();
  await expectToast(page, 'Could not copy. Select the token and copy it yourself.');
  await page.getByRole('status').getByRole('button', { name: 'Copy command', exact: true }).click();
  await expectToast(page, 'Could not copy. Select the command and copy it yourself.');
  await expect(page.getByText('Token copied')).toHaveCount(0);
});

test.describe('at 390 px wide', () => {
  test.use({ viewport: { width: 390, height: 844 } });

  /** No sideways scrolling of the page itself (a table may scroll inside its own box). */
  async function expectNoHorizontalScroll(page: Page) {
    await expect.poll(() => page.evaluate(() => document.scrollingElement!.scrollWidth - document.scrollingElement!.clientWidth)).toBeLessThanOrEqual(0);
  }

  async function expectAllInViewport(page: Page, targets: Locator, atLeast: number) {
    // The page may still be streaming in: wait for the rows before counting them.
    await expect.poll(() => targets.count()).toBeGreaterThanOrEqual(atLeast);
    for (const target of await targets.all()) {
      await target.scrollIntoViewIfNeeded();
      await expect(target).toBeInViewport({ ratio: 1 });
    }
  }

  test('every row action of tokens, deploys and members, and every cell of the overview matrix, is reachable', async ({ page }) => {
    await page.goto(tokensUrl(data.slug));
    await expectNoHorizontalScroll(page);
    await expectAllInViewport(page, page.getByRole('button', { name: /^Revoke / }), 1);

    await page.goto(`/projects/${data.slug}/deploys`);
    await expectNoHorizontalScroll(page);
    await expectAllInViewport(page, page.getByRole('button', { name: /^(Retry deployment|Roll back to)/ }), 2);

    await page.goto(membersUrl(data.slug));
    await expectNoHorizontalScroll(page);
    await expectAllInViewport(page, page.getByRole('main').getByRole('button').or(page.getByRole('main').getByRole('combobox')), 5);

    await page.goto(`/projects/${data.slug}`);
    await expectNoHorizontalScroll(page);
    // The matrix fits: its box does not scroll sideways either (1 px: collapsed borders round up).
    const matrixBox = page.getByRole('table', { name: 'Keys across environments' }).locator('..');
    await expect.poll(() => matrixBox.evaluate((box) => box.scrollWidth - box.clientWidth)).toBeLessThanOrEqual(1);
    await expectAllInViewport(page, matrixBox.getByRole('button', { name: /^Add .+ to / }), 2);
  });

  test('the Redeploy dialog fits: its "Rebuild needed" badge wraps instead of overflowing', async ({ page }) => {
    await openSecrets(page, data.slug);
    const diff = await openRedeploy(page);
    const badge = diff.getByText(REBUILD_NEEDED);
    await expect(badge).toBeVisible();
    const [box, dialogBox] = [await badge.boundingBox(), await diff.boundingBox()];
    expect(box!.x + box!.width).toBeLessThanOrEqual(dialogBox!.x + dialogBox!.width);
    expect(await badge.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
    await expectNoHorizontalScroll(page);
  });
});
