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
    const key = field(page, 'Setup key');
    await expect(key).toHaveValue(/^[A-Z2-7]{32}$/);
    const secret = await key.inputValue();

    await field(page, 'Authentication code').fill('000000' === TOTP.generate({ secret: Secret.fromBase32(secret) }) ? '111111' : '000000');
    await page.getByRole('button', { name: 'Turn on' }).click();
    await expectFieldError(page, 'Authentication code', 'That code is not valid. Check that the time on your device is right and enter the current code.');

    const { code, step } = freshCode(secret, 0);
    await field(page, 'Authentication code').fill(code);
    await page.getByRole('button', { name: 'Turn on' }).click();
    const list = page.getByRole('list', { name: 'Recovery codes' });
    await expect(list.getByRole('listitem')).toHaveCount(10);
    const recoveryCodes = await list.getByRole('listitem').allTextContents();
    await page.getByRole('button', { name: 'I have saved them' }).click();
    await expect(page.getByText('10 of 10 recovery codes left.')).toBeVisible();
    // Shown once: the page itself carries neither the key nor the codes.
    await page.reload();
    const html = await page.content();
    expect(html).not.toContain(secret);
    for (const recoveryCode of recoveryCodes) expect(html).not.toContain(recoveryCode);
    return { secret, recoveryCodes, enrolStep: step };
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
    await field(page, 'Authentication code').fill(recoveryCodes[1]);
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
