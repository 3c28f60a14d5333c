import fs from 'node:fs';
import path from 'node:path';
import { expectAccessible, THEMES, useTheme } from './axe';
import { AUTH } from './env';
import { MEMBER, OWNER, SIGNED_OUT, createFirstAccount, createInviteLink, createProject, expect, joinWithInvite, suffix, test as setup } from './fixtures';

// Runs first, on the fresh database: the first account (OWNER) through
// /setup, then a MEMBER of a shared project through an invite link. Saves one
// login per role for the specs.

setup.describe.configure({ mode: 'serial' });

// /setup exists only until the first account is made: its axe check lives here, not in a11y.spec.ts.
setup('the first-run page passes axe in both themes', async ({ browser }) => {
  for (const theme of THEMES) {
    const context = await browser.newContext({ storageState: SIGNED_OUT });
    const page = await context.newPage();
    await useTheme(page, theme);
    await page.goto('/setup');
    if (new URL(page.url()).pathname.startsWith('/setup')) {
      await expectAccessible(page, 'setup', theme);
      await page.getByRole('button', { name: 'Create account' }).click();
      await expect(page.getByRole('alert').first()).toBeVisible();
      await expectAccessible(page, 'setup with errors', theme);
    }
    await context.close();
  }
});

setup('the first account is created through /setup', async ({ page }, testInfo) => {
  fs.mkdirSync(path.dirname(AUTH.owner), { recursive: true });
  await createFirstAccount(page, OWNER, { retrying: testInfo.retry > 0 });
  await page.context().storageState({ path: AUTH.owner });
});

setup('a member joins a shared project through an invite link', async ({ browser }) => {
  const owner = await browser.newContext({ storageState: AUTH.owner });
  const ownerPage = await owner.newPage();
  const { slug } = await createProject(ownerPage, `Shared ${suffix()}`);
  const memberEmail = `member-${suffix()}@keyhold.test`; // unique, so a retry starts clean
  const link = await createInviteLink(ownerPage, slug, memberEmail, 'Member');
  await owner.close();

  const member = await browser.newContext({ storageState: SIGNED_OUT });
  await joinWithInvite(await member.newPage(), link, MEMBER, slug);
  await member.storageState({ path: AUTH.member });
  await member.close();
  fs.writeFileSync(AUTH.sharedProject, JSON.stringify({ slug, memberEmail }));
});
