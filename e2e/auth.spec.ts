import {
  OWNER,
  SIGNED_OUT,
  TEXT,
  createInviteLink,
  createProject,
  expect,
  expectSignedIn,
  field,
  fillSignIn,
  joinWithInvite,
  signIn,
  signOut,
  suffix,
  test,
} from './fixtures';

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

test('a callbackUrl leading off-site is not followed after sign-in', async ({ newVisitor }) => {
  // Issue 7, defect 1: a browser reads /\evil.example as //evil.example.
  for (const callbackUrl of ['/\\evil.example/x', '/\\/evil.example/x', '/%5Cevil.example/x']) {
    const page = await newVisitor();
    await page.goto(`/login?callbackUrl=${encodeURIComponent(callbackUrl)}`);
    await field(page, 'Email').fill(OWNER.email);
    await field(page, 'Password').fill(OWNER.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page, callbackUrl).toHaveURL(/^http:\/\/127\.0\.0\.1:\d+\/projects$/);
    await expectSignedIn(page);
  }
});

test('/setup is closed once the first account exists', async ({ page }) => {
  await page.goto('/setup');
  await expect(page).toHaveURL(/\/login/);
  await expect(page.getByRole('button', { name: 'Create account' })).toHaveCount(0);
});

test('sign out everywhere ends the sessions on other devices too', async ({ page, newVisitor }) => {
  // A person of their own: the saved owner login must stay valid for the other specs.
  const id = suffix();
  const person = { name: `Everywhere ${id}`, email: `everywhere-${id}@keyhold.test`, password: `e2e-Everywhere-${id}-pw!` };
  await signIn(page, OWNER);
  const { slug } = await createProject(page, `Everywhere ${id}`);
  const link = await createInviteLink(page, slug, person.email, 'Member');

  const laptop = await newVisitor();
  await joinWithInvite(laptop, link, person, slug);
  const phone = await newVisitor();
  await signIn(phone, person);

  await laptop.getByRole('button', { name: 'Account' }).click();
  await laptop.getByRole('menuitem', { name: 'Sign out everywhere' }).click();
  await expect(laptop).toHaveURL(/\/login/);

  // The phone still holds its cookie, but the session it carries is over.
  await phone.goto(`/projects/${slug}`);
  await expect(phone).toHaveURL(/\/login/);
  await expect(phone.getByRole('button', { name: 'Account' })).toHaveCount(0);
  // Signing in again works.
  await signIn(phone, person);
});
