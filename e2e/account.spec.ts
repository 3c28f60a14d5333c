import { TOTP, Secret } from 'otpauth';
import {
  createInviteLink,
  createProject,
  dialog,
  expect,
  expectFieldError,
  expectSignedIn,
  expectToast,
  field,
  fillSignIn,
  joinWithInvite,
  membersUrl,
  signOut,
  suffix,
  test,
  type User,
} from './fixtures';
import type { Page } from '@playwright/test';

// Accounts: a second factor, recovery codes, changing the password, and an
// owner's reset link. Each test makes people of its own (invited into a new
// project), so the saved owner and member logins are untouched.

const PERIOD_MS = 30_000;
const CODE_INVALID = 'That code is not valid. Enter the current code from your authenticator app or an unused recovery code.';

/** A code the server has not accepted yet: the step after the last one used, within its ±1 step of drift. */
function freshCode(secret: string, lastStep: number): { code: string; step: number } {
  const step = Math.max(lastStep + 1, Math.floor(Date.now() / PERIOD_MS) - 1);
  return { code: TOTP.generate({ secret: Secret.fromBase32(secret), timestamp: step * PERIOD_MS }), step };
}

async function invitedPerson(ownerPage: Page, newVisitor: () => Promise<Page>, label: string): Promise<{ person: User; page: Page; slug: string }> {
  const id = suffix();
  const person = { name: `${label} ${id}`, email: `${label.toLowerCase()}-${id}@keyhold.test`, password: `e2e-${label}-${id}-pw!` };
  const { slug } = await createProject(ownerPage, `${label} ${id}`);
  const link = await createInviteLink(ownerPage, slug, person.email, 'Member');
  const page = await newVisitor();
  await joinWithInvite(page, link, person, slug);
  return { person, page, slug };
}

/** Account → Set up second factor → confirm a code; returns the key, the recovery codes and the step used. */
async function setUpSecondFactor(page: Page): Promise<{ secret: string; recoveryCodes: string[]; enrolStep: number }> {
  await page.goto('/account');
  await page.getByRole('button', { name: 'Set up second factor' }).click();
  const key = field(page, 'Setup key');
  await expect(key).toHaveValue(/^[A-Z2-7]{32}$/);
  const secret = await key.inputValue();
  const { code, step } = freshCode(secret, 0);
  await field(page, 'Authentication code').fill(code);
  await page.getByRole('button', { name: 'Turn on' }).click();
  const list = page.getByRole('list', { name: 'Recovery codes' });
  await expect(list.getByRole('listitem')).toHaveCount(10);
  const recoveryCodes = await list.getByRole('listitem').allTextContents();
  // 80 random bits each: 16 base32 characters in groups of four.
  for (const code of recoveryCodes) expect(code).toMatch(/^[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}$/);
  await page.getByRole('button', { name: 'I have saved them' }).click();
  await expect(page.getByText('10 of 10 recovery codes left.')).toBeVisible();
  return { secret, recoveryCodes, enrolStep: step };
}

/** Signs in where a code is asked after the password. */
async function signInWithCode(page: Page, person: User, code: string) {
  await fillSignIn(page, person.email, person.password);
  await expect(page.getByText('Enter the code from your authenticator app, or a recovery code.')).toBeVisible();
  await expect(page).toHaveURL(/\/login/);
  await field(page, 'Authentication code').fill(code);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/login'));
  await expectSignedIn(page);
}

test('a person sets up a second factor, signs in with a code and with a recovery code once, and changes their password', async ({
  page: ownerPage,
  newVisitor,
  browser,
}) => {
  test.slow();
  const { person, page } = await invitedPerson(ownerPage, newVisitor, 'Factor');

  const { secret, recoveryCodes, enrolStep } = await test.step('set up: scan or type the key, confirm a code, keep the recovery codes', async () => {
    await page.getByRole('button', { name: 'Account' }).click();
    await page.getByRole('menuitem', { name: 'Account settings' }).click();
    await expect(page.getByRole('heading', { name: 'Account', exact: true })).toBeVisible();
    await page.getByRole('button', { name: 'Set up second factor' }).click();
    await expect(page.getByRole('img', { name: 'QR code for your authenticator app' })).toBeVisible();
    const abandoned = await field(page, 'Setup key').inputValue();
    await field(page, 'Authentication code').fill('000000' === TOTP.generate({ secret: Secret.fromBase32(abandoned) }) ? '111111' : '000000');
    await page.getByRole('button', { name: 'Turn on' }).click();
    await expectFieldError(page, 'Authentication code', 'That code is not valid. Check that the time on your device is right and enter the current code.');

    // Starting again (here after a reload) makes a new key; the abandoned one is gone.
    const enrolled = await setUpSecondFactor(page);
    expect(enrolled.secret).not.toBe(abandoned);
    // Shown once: the page itself carries neither the key nor the codes.
    await page.reload();
    const html = await page.content();
    expect(html).not.toContain(enrolled.secret);
    for (const recoveryCode of enrolled.recoveryCodes) expect(html).not.toContain(recoveryCode);
    return enrolled;
  });

  await test.step('sign-in asks for a code after the password, refuses a wrong one, accepts the current one', async () => {
    await signOut(page);
    await fillSignIn(page, person.email, person.password);
    await field(page, 'Authentication code').fill('12345678');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expectFieldError(page, 'Authentication code', CODE_INVALID);
    await field(page, 'Authentication code').fill(freshCode(secret, enrolStep).code);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((url) => !url.pathname.startsWith('/login'));
    await expectSignedIn(page);
  });

  await test.step('a recovery code signs in once', async () => {
    await signOut(page);
    await signInWithCode(page, person, recoveryCodes[0]);
    await signOut(page);
    await fillSignIn(page, person.email, person.password);
    await field(page, 'Authentication code').fill(recoveryCodes[0]);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expectFieldError(page, 'Authentication code', CODE_INVALID);
    await expect(page).toHaveURL(/\/login/);
    // Typed without dashes and in upper case: the same code.
    await field(page, 'Authentication code').fill(recoveryCodes[1].replaceAll('-', '').toUpperCase());
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((url) => !url.pathname.startsWith('/login'));
    await expectSignedIn(page);
  });

  await test.step('changing the password keeps this browser signed in and ends the other sessions', async () => {
    const before = await page.context().storageState();
    await page.goto('/account');
    await expect(page.getByText('8 of 10 recovery codes left.')).toBeVisible();
    await field(page, 'Current password').fill(`${person.password}-wrong`);
    await field(page, 'New password').fill('a new password for e2e');
    await page.getByRole('button', { name: 'Change password' }).click();
    await expectFieldError(page, 'Current password', 'Current password is incorrect');

    const newPassword = `${person.password}-changed`;
    await field(page, 'Current password').fill(person.password);
    await field(page, 'New password').fill(newPassword);
    await page.getByRole('button', { name: 'Change password' }).click();
    await expectToast(page, 'Password changed. Your other sessions were signed out.');
    await page.reload();
    await expect(page.getByRole('heading', { name: 'Account', exact: true })).toBeVisible();

    const old = await browser.newContext({ storageState: before });
    const oldPage = await old.newPage();
    await oldPage.goto('/account');
    await expect(oldPage).toHaveURL(/\/login/);
    await old.close();

    await signOut(page);
    await signInWithCode(page, { ...person, password: newPassword }, recoveryCodes[2]);
  });
});

test('an owner creates a reset link for a member, who sets a new password through it', async ({ page: ownerPage, newVisitor }) => {
  test.slow();
  const { person, page: memberPage, slug } = await invitedPerson(ownerPage, newVisitor, 'Reset');

  const link = await test.step('the owner creates the link (shown once, with Copy)', async () => {
    await ownerPage.goto(membersUrl(slug));
    await ownerPage.getByRole('button', { name: `Reset password for ${person.email}`, exact: true }).click();
    const shown = dialog(ownerPage, 'Password reset link');
    await expect(shown).toContainText(person.email);
    const input = shown.getByRole('textbox', { name: 'Reset link' });
    await expect(input).toHaveValue(/\/reset\/[A-Za-z0-9_-]{43}$/);
    await expect(input).not.toBeEditable();
    const link = await input.inputValue();
    await shown.getByRole('button', { name: 'Done' }).click();
    await expect(shown).toBeHidden();
    return link;
  });

  const newPassword = `${person.password}-reset`;
  await test.step('the member opens it and sets a new password', async () => {
    const visitor = await newVisitor();
    await visitor.goto(link);
    await expect(visitor.getByRole('heading', { name: 'Set a new password' })).toBeVisible();
    await expect(visitor.getByText(person.email)).toBeVisible();
    await field(visitor, 'New password').fill('too short');
    await visitor.getByRole('button', { name: 'Set new password' }).click();
    await expectFieldError(visitor, 'New password', 'Password must be at least 12 characters');
    await field(visitor, 'New password').fill(newPassword);
    await visitor.getByRole('button', { name: 'Set new password' }).click();
    await expect(visitor.getByText('Your new password is set. Sign in with it.')).toBeVisible();

    await visitor.goto(link);
    await expect(visitor.getByRole('heading', { name: 'Reset link not valid' })).toBeVisible();
  });

  await test.step("the member's existing session has ended; the new password signs in, the old one does not", async () => {
    await memberPage.goto(`/projects/${slug}`);
    await expect(memberPage).toHaveURL(/\/login/);
    await fillSignIn(memberPage, person.email, person.password);
    await expect(memberPage.getByText('Invalid email or password')).toBeVisible();
    await fillSignIn(memberPage, person.email, newPassword);
    await memberPage.waitForURL((url) => !url.pathname.startsWith('/login'));
    await expectSignedIn(memberPage);
  });
});

test('an owner requires a second factor: a member without one sees only the setup notice until they set one up', async ({ page: ownerPage, newVisitor }) => {
  test.slow();
  const ownOwn = 'Set up your own second factor under Account before requiring one for everyone.';
  const requireBox = (page: Page) => page.getByRole('checkbox', { name: 'Require a second factor for everyone in this project' });
  const saveRule = (page: Page) => page.getByRole('region', { name: 'Second factor' }).getByRole('button', { name: 'Save' });

  await test.step('an owner without a second factor is told to set up their own first', async () => {
    const { slug } = await createProject(ownerPage, `No factor ${suffix()}`);
    await ownerPage.goto(`/projects/${slug}/settings/general`);
    await requireBox(ownerPage).check();
    await saveRule(ownerPage).click();
    await expect(ownerPage.getByText(ownOwn)).toBeVisible();
    await expect(requireBox(ownerPage)).toHaveAttribute('aria-invalid', 'true');
    await ownerPage.reload();
    await expect(requireBox(ownerPage)).not.toBeChecked();
  });

  // A person of their own owns the project that requires it (the shared project never does).
  const { page: owner } = await invitedPerson(ownerPage, newVisitor, 'Strict');
  await setUpSecondFactor(owner);
  const { slug } = await createProject(owner, `Strict ${suffix()}`);
  await test.step('the owner with a second factor requires one for everyone', async () => {
    await owner.goto(`/projects/${slug}/settings/general`);
    await requireBox(owner).check();
    await saveRule(owner).click();
    await expectToast(owner, 'A second factor is now required');
    await owner.reload();
    await expect(requireBox(owner)).toBeChecked();
  });

  const id = suffix();
  const member = { name: `Lax ${id}`, email: `lax-${id}@keyhold.test`, password: `e2e-Lax-${id}-pw!` };
  const link = await createInviteLink(owner, slug, member.email, 'Member');
  const memberPage = await newVisitor();
  await test.step('a member without one sees only the notice, on every page of the project', async () => {
    await joinWithInvite(memberPage, link, member, slug);
    for (const path of [`/projects/${slug}`, `/projects/${slug}/deploys`, `/projects/${slug}/settings/general`]) {
      await memberPage.goto(path);
      await expect(memberPage.getByRole('heading', { name: 'Set up a second factor' })).toBeVisible();
      await expect(memberPage.getByRole('navigation', { name: 'Project', exact: true })).toHaveCount(0);
      await expect(memberPage.getByRole('heading', { name: 'Environments', exact: true })).toHaveCount(0);
    }
  });

  await test.step('after setting one up, the project opens', async () => {
    await memberPage.getByRole('link', { name: 'Set up second factor' }).click();
    await expect(memberPage).toHaveURL(/\/account$/);
    await setUpSecondFactor(memberPage);
    await memberPage.goto(`/projects/${slug}`);
    await expect(memberPage.getByRole('heading', { name: 'Environments', exact: true })).toBeVisible();
    await expect(memberPage.getByRole('heading', { name: 'Set up a second factor' })).toHaveCount(0);
  });
});
