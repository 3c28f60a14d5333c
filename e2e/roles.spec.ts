import {
  TEXT,
  addSecret,
  createInviteLink,
  createProject,
  expect,
  expectRefusedProject,
  joinWithInvite,
  openSecrets,
  removeMember,
  secretRow,
  secretsUrl,
  setMemberRole,
  suffix,
  test,
} from './fixtures';

// Roles change what a member may do, at once (DESIGN.md §5). Uses its own
// project and member, so the saved MEMBER of the shared project stays intact
// for other specs; `page` is the owner.

test('an owner promotes a member to Admin, then removes them', async ({ page, newVisitor }) => {
  test.slow();
  const id = suffix();
  const email = `roles-${id}@keyhold.test`;
  const key = `ROLES_${id.toUpperCase()}_TOKEN`;
  const { slug } = await createProject(page, `Roles ${id}`);
  await openSecrets(page, slug);
  await addSecret(page, { key, value: `roles-${suffix()}` });

  const member = await newVisitor();
  const link = await createInviteLink(page, slug, email, 'Member');
  await joinWithInvite(member, link, { name: `Roles ${id}`, password: `e2e-Roles-${id}-pw!` }, slug);

  await test.step('as a Member they may not open Secrets', async () => {
    await member.goto(secretsUrl(slug));
    await expect(member.getByText(TEXT.noSecretsPermission)).toBeVisible();
    await expect(member.getByRole('table')).toHaveCount(0);
  });

  await test.step('as an Admin they see the Secrets table and may add secrets', async () => {
    await setMemberRole(page, slug, email, 'Admin');
    await openSecrets(member, slug);
    await expect(member.getByText(TEXT.noSecretsPermission)).toHaveCount(0);
    await expect(member.getByRole('table')).toBeVisible();
    await expect(secretRow(member, key)).toBeVisible();
    await expect(member.getByRole('button', { name: 'Add Secret', exact: true }).first()).toBeVisible();
  });

  await test.step('once removed they are refused the project', async () => {
    await removeMember(page, slug, email);
    await expectRefusedProject(member, slug);
  });
});
