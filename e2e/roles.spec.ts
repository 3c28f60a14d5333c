import {
    TEXT,
  addSecret,
  expect,
  expectRefusedProject,
  openSecrets,
  removeMember,
  secretRow,
  secretsUrl,
  setMemberRole,
  sharedProject,
  suffix,
  test,
} from './fixtures';

// Roles change what a member may do, at once (DESIGN.md §5). Uses the saved
// MEMBER of the shared project (see auth.setup.ts); `page` is the owner.

test.describe.configure({ mode: 'serial' });

test('an owner makes a member an Admin, who can then manage secrets', async ({ page, memberPage }) => {
  const { slug, memberEmail } = sharedProject();
  const key = `SHARED_${suffix().toUpperCase()}_TOKEN`;
  await openSecrets(page, slug);
  await addSecret(page, { key, value: `shared-${suffix()}` });

  await memberPage.goto(secretsUrl(slug));
  await expect(memberPage.getByText(TEXT.noSecretsPermission)).toBeVisible();
  await expect(memberPage.getByRole('table')).toHaveCount(0);

  await setMemberRole(page, slug, memberEmail, 'Admin');

  await openSecrets(memberPage, slug);
  await expect(memberPage.getByText(TEXT.noSecretsPermission)).toHaveCount(0);
  await expect(memberPage.getByRole('table')).toBeVisible();
  await expect(secretRow(memberPage, key)).toBeVisible();
  await expect(memberPage.getByRole('button', { name: 'Add Secret', exact: true }).first()).toBeVisible();
});

test('an owner removes a member, who is then refused the project', async ({ page, memberPage }) => {
  const { slug, memberEmail } = sharedProject();
  await removeMember(page, slug, memberEmail);
  await expectRefusedProject(memberPage, slug);
});
