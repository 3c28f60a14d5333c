import { OWNER, SIGNED_OUT, TEXT, expect, expectSignedIn, field, fillSignIn, signIn, signOut, test } from './fixtures';

// Signing in and out, and the first-run page closing behind the first account.

test.use({ storageState: SIGNED_OUT });

test('a wrong password is refused with a message', async ({ page }) => {
  await fillSignIn(page, OWNER.email, `${OWNER.password}-wrong`);
  await expect(page.getByText(TEXT.invalidLogin)).toBeVisible();
  await expect(page).toHaveURL(/\/login/);
  await expect(page.getByRole('button', { name: 'Account' })).toHaveCount(0);
});

test('an owner signs in and signs out', async ({ page }) => {
  await signIn(page, OWNER);
  await page.goto('/projects');
  await expectSignedIn(page);

  await signOut(page);
  await expect(field(page, 'Email')).toBeVisible();
  await page.goto('/projects');
  await expect(page).toHaveURL(/\/login/);
});

test('/setup is closed once the first account exists', async ({ page }) => {
  await page.goto('/setup');
  await expect(page).toHaveURL(/\/login/);
  await expect(page.getByRole('button', { name: 'Create account' })).toHaveCount(0);
});
