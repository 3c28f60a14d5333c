import {
  TEXT,
  addSecret,
  allRowMenuButtons,
  createInviteLink,
  createProject,
  expect,
  expectToast,
  field,
  joinWithInvite,
  membersUrl,
  openSecrets,
  recordServerAction,
  replayServerAction,
  secretRow,
  secretsUrl,
  suffix,
  test,
} from './fixtures';
import type { Route } from '@playwright/test';

// An owner invites a MEMBER, who joins through the link, cannot open Secrets,
// and cannot get around that by replaying the create-secret server action.

test('an invited member joins, cannot manage secrets, and cannot forge a server action', async ({ page, newVisitor, baseURL }) => {
  test.slow();
  const id = suffix();
  const email = `member-${id}@keyhold.test`;
  const { slug } = await createProject(page, `Invite ${id}`);

  const link = await test.step('the owner creates an invite link and copies it', async () => {
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseURL });
    const link = await createInviteLink(page, slug, email, 'Member');
    await page.getByRole('button', { name: 'Copy', exact: true }).click();
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe(link);
    return link;
  });

  const member = await newVisitor();
  await test.step('the invitee joins through the link', async () => {
    await joinWithInvite(member, link, { name: `Invited ${id}`, password: `e2e-Invited-${id}-pw!` }, slug);
  });

  await test.step('a member is told they cannot manage secrets, and sees none', async () => {
    await member.goto(secretsUrl(slug));
    await expect(member.getByText(TEXT.noSecretsPermission)).toBeVisible();
    await expect(member.getByRole('table')).toHaveCount(0);
    await expect(member.getByRole('button', { name: 'Add Secret' })).toHaveCount(0);
  });

  const recordedKey = `RECORDED_${id.toUpperCase()}`;
  const action = await test.step('the owner creates a secret (its server action is recorded)', async () => {
    await openSecrets(page, slug);
    return recordServerAction(page, recordedKey, () => addSecret(page, { key: recordedKey, value: `value-${id}` }));
  });

  await test.step('the recorded action replayed by the owner works (the replay is sound)', async () => {
    await replayServerAction(page.request, action, `CONTROL_${id.toUpperCase()}`, baseURL!);
    await page.reload();
    await expect(secretRow(page, `CONTROL_${id.toUpperCase()}`)).toBeVisible();
  });

  await test.step("the member's forged server action is refused", async () => {
    const forgedKey = `FORGED_${id.toUpperCase()}`;
    await replayServerAction(member.request, action, forgedKey, baseURL!);
    await page.reload();
    await expect(secretRow(page, recordedKey)).toBeVisible();
    await expect(secretRow(page, forgedKey)).toHaveCount(0);
    await expect(allRowMenuButtons(page)).toHaveCount(2);
  });

  await test.step('a server action without an Origin header, or from a foreign or null one, gets the same 403', async () => {
    const origins = { NO_ORIGIN: null, FOREIGN_ORIGIN: 'https://evil.example', NULL_ORIGIN: 'null' };
    for (const [name, origin] of Object.entries(origins)) {
      const key = `${name}_${id.toUpperCase()}`;
      const response = await replayServerAction(page.request, action, key, origin);
      expect(response.status(), name).toBe(403);
      expect(await response.json(), name).toEqual({
        error: { code: 'origin_required', message: 'Server actions require an Origin header from this site' },
      });
      await page.reload();
      await expect(secretRow(page, key)).toHaveCount(0);
    }
  });
});

// The submit hook (components/use-submit.ts): when the action's request itself
// fails, the form shows the action's generic sentence and stays usable.
test('a failed network request while inviting shows the generic failure and keeps the form', async ({ page }) => {
  const id = suffix();
  const email = `offline-${id}@keyhold.test`;
  const { slug } = await createProject(page, `Offline ${id}`);
  await page.goto(membersUrl(slug));
  const abortActions = (route: Route) =>
    route.request().method() === 'POST' && route.request().headers()['next-action'] ? route.abort('internetdisconnected') : route.fallback();
  await page.route('**/*', abortActions);
  await field(page, 'Email').fill(email);
  await page.getByRole('button', { name: 'Create invite link' }).click();
  await expectToast(page, 'Failed to create the invite. Please, try again.');
  await expect(page.getByRole('textbox', { name: 'Invite link' })).toHaveCount(0);
  await expect(field(page, 'Email')).toHaveValue(email);

  await page.unroute('**/*', abortActions);
  await expect(page.getByRole('button', { name: 'Create invite link' })).toBeEnabled();
  await page.getByRole('button', { name: 'Create invite link' }).click();
  await expect(page.getByRole('textbox', { name: 'Invite link' })).toHaveValue(/\/invite\/[^/]+$/);
});
