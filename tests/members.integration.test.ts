import { randomUUID } from 'node:crypto';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { authenticate } from '@/lib/auth/sign-in';
import { createFirstAccount, needsSetup, SETUP_CLOSED } from '@/lib/auth/setup';
import { db } from '@/lib/db';
import { AppError } from '@/lib/errors';
import { acceptInviteAction, changeRoleAction, createInviteAction, removeMemberAction } from '@/lib/members/actions';
import { acceptInvite, changeRole, createInvite, removeMember, revokeInvite } from '@/lib/members/mutations';
import { hashLinkToken } from '@/lib/link-token';
import { findInvite, listMembers } from '@/lib/members/queries';
import { createProject } from '@/lib/projects/mutations';
import { listSecrets } from '@/lib/secrets/queries';
import { migrateTestDatabase } from './support/db';
import { withWritesHeld } from './support/held-writes';
import { signInAs } from './support/session';
import { getSessionUser } from '@/lib/session';

type User = { id: string; name: string; email: string };
const OWNERS_ONLY = 'Only project owners can manage members.';
const PASSWORD = 'correct horse battery staple';

let owner: User;
let projectId: string;

const userByEmail = (email: string) => db.user.findUniqueOrThrow({ where: { email }, select: { id: true, name: true, email: true } });
const membershipOf = (userId: string) => db.membership.findUniqueOrThrow({ where: { userId_projectId: { userId, projectId } } });

async function invitedUser(role: 'ADMIN' | 'MEMBER'): Promise<User> {
  signInAs(owner);
  const email = `${role.toLowerCase()}-${randomUUID()}@example.test`;
  const { token } = await createInvite(projectId, { email, role });
  signInAs(null);
  await acceptInvite(token, { name: role, password: PASSWORD });
  signInAs(owner);
  return userByEmail(email);
}

beforeAll(async () => {
  await migrateTestDatabase();
  expect(await needsSetup()).toBe(true);
  await createFirstAccount({ name: 'Olivia Owner', email: 'owner@example.test', password: PASSWORD });
  owner = await userByEmail('owner@example.test');
  signInAs(owner);
  const { slug } = await createProject({ name: 'Members project' });
  projectId = (await db.project.findUniqueOrThrow({ where: { slug } })).id;
});

beforeEach(() => signInAs(owner));

describe('first-run setup', () => {
  it('is closed once the first account exists', async () => {
    expect(await needsSetup()).toBe(false);
    await expect(createFirstAccount({ name: 'Mallory', email: 'mallory@example.test', password: PASSWORD })).rejects.toThrow(SETUP_CLOSED);
    expect(await db.user.count({ where: { email: 'mallory@example.test' } })).toBe(0);
  });

  it('stores a scrypt hash, never the password, and signs in only with the right one', async () => {
    const stored = await db.user.findUniqueOrThrow({ where: { email: 'owner@example.test' } });
    expect(stored.passwordHash).toMatch(/^scrypt\$131072\$8\$1\$/);
    expect(stored.passwordHash).not.toContain(PASSWORD);
    expect(await authenticate('owner@example.test', PASSWORD)).toMatchObject({ id: owner.id });
    expect(await authenticate('owner@example.test', `${PASSWORD}!`)).toBeNull();
    expect(await authenticate('nobody@example.test', PASSWORD)).toBeNull();
  });
});

describe('sign out everywhere', () => {
  it('ends every session issued before it, and only those', async () => {
    const user = await invitedUser('MEMBER');
    signInAs(user, 0);
    const { signOutEverywhereAction } = await import('@/lib/auth/actions');
    expect(await signOutEverywhereAction()).toEqual({ ok: true, data: undefined });
    expect(await getSessionUser()).toBeNull(); // the token from before: version 0
    signInAs(user, 1); // a sign-in afterwards carries the new version
    expect(await getSessionUser()).toMatchObject({ id: user.id });
    expect(await db.auditEvent.count({ where: { action: 'user.signed_out_everywhere', actorId: user.id } })).toBe(1);
    signInAs(null);
    expect(await signOutEverywhereAction()).toEqual({ ok: false, error: 'Your session has ended. Sign in again.', code: 'unauthenticated' });
  });
});

describe('invites', () => {
  it('keeps only a hash of the link token, and the link joins the project once with the invited role', async () => {
    const email = `new-${randomUUID()}@example.test`;
    const result = await createInviteAction(projectId, { email: email.toUpperCase(), role: 'MEMBER' });
    if (!result.ok) throw new Error(result.error);
    const { token } = result.data;
    const invite = await db.invite.findFirstOrThrow({ where: { projectId, email } });
    expect(invite.tokenHash).toBe(hashLinkToken(token));
    expect(JSON.stringify(invite)).not.toContain(token);
    expect(await findInvite(token)).toMatchObject({ email, role: 'MEMBER', accountExists: false });

    signInAs(null);
    expect(await acceptInvite(token, { name: 'New Person', password: PASSWORD })).toMatchObject({ email });
    const user = await userByEmail(email);
    expect((await membershipOf(user.id)).role).toBe('MEMBER');
    expect(await findInvite(token)).toBeNull();
    await expect(acceptInvite(token, { name: 'Again', password: PASSWORD })).rejects.toThrow(/invalid or has expired/);
  });

  it('refuses an expired link and an unknown one', async () => {
    const email = `late-${randomUUID()}@example.test`;
    const { token } = await createInvite(projectId, { email, role: 'ADMIN' });
    await db.invite.updateMany({ where: { email }, data: { expiresAt: new Date(Date.now() - 1000) } });
    signInAs(null);
    await expect(acceptInvite(token, { name: 'Late', password: PASSWORD })).rejects.toThrow(/invalid or has expired/);
    await expect(acceptInvite('not-a-token', { name: 'X', password: PASSWORD })).rejects.toThrow(/invalid or has expired/);
    expect(await db.user.count({ where: { email } })).toBe(0);
  });

  it('lets only owners invite, and not someone who is already a member', async () => {
    const admin = await invitedUser('ADMIN');
    signInAs(admin);
    expect(await createInviteAction(projectId, { email: 'x@example.test', role: 'ADMIN' })).toEqual({ ok: false, error: OWNERS_ONLY, code: 'forbidden' });
    signInAs(owner);
    expect(await createInviteAction(projectId, { email: admin.email, role: 'MEMBER' })).toEqual({
      ok: false,
      error: 'This person is already a member',
      code: 'validation_failed',
      fieldErrors: { email: 'This person is already a member' },
    });
    expect(await createInviteAction(projectId, { email: 'not an email', role: 'MEMBER' })).toMatchObject({
      ok: false,
      fieldErrors: { email: 'Enter a valid email address' },
    });
  });

  it('leaves one pending invite when the same email is invited twice at the same moment', async () => {
    const email = `double-${randomUUID()}@example.test`;
    const results = await withWritesHeld('Invite', 2, () =>
      Promise.allSettled([createInvite(projectId, { email, role: 'MEMBER' }), createInvite(projectId, { email, role: 'ADMIN' })]),
    );
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled']);
    expect(await db.invite.count({ where: { projectId, email, acceptedAt: null } })).toBe(1);
  });

  it('a person invited to two projects who joins both at the same moment gets one account and is told to sign in for the other', async () => {
    const email = `twice-${randomUUID()}@example.test`;
    const { slug } = await createProject({ name: `Second ${randomUUID().slice(0, 8)}` });
    const secondId = (await db.project.findUniqueOrThrow({ where: { slug } })).id;
    const tokens = [(await createInvite(projectId, { email, role: 'MEMBER' })).token, (await createInvite(secondId, { email, role: 'ADMIN' })).token];
    signInAs(null);
    const results = await withWritesHeld('User', 2, () => Promise.all(tokens.map((token) => acceptInviteAction(token, { name: 'Twice', password: PASSWORD }))));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok)).toEqual([{ ok: false, error: `Sign in as ${email} first, then open this link again.`, code: 'forbidden' }]);
    // Nothing of the refused one was kept: signed in, its link joins.
    const user = await userByEmail(email);
    signInAs(user);
    const refused = tokens[results.findIndex((r) => !r.ok)];
    expect(await acceptInvite(refused, null)).toMatchObject({ email });
    expect(await db.membership.count({ where: { userId: user.id } })).toBe(2);
  });

  it('an invite revoked while it is being accepted is either revoked or accepted, never both', async () => {
    const email = `revoked-${randomUUID()}@example.test`;
    const { token } = await createInvite(projectId, { email, role: 'MEMBER' });
    const { id } = await db.invite.findFirstOrThrow({ where: { projectId, email } });
    const [accepted, revoked] = await withWritesHeld('User', 2, async (untilWaiting) => {
      signInAs(null);
      const accepting = acceptInvite(token, { name: 'Revoked', password: PASSWORD });
      await untilWaiting(1); // the acceptance has claimed the invite, not yet committed
      signInAs(owner);
      return Promise.allSettled([accepting, revokeInvite(projectId, id)]);
    });
    expect([accepted.status, revoked.status].sort()).toEqual(['fulfilled', 'rejected']);
    const joined = (await db.user.count({ where: { email, memberships: { some: { projectId } } } })) === 1;
    expect({ joined, revoked: revoked.status === 'fulfilled' }).toEqual({ joined, revoked: !joined });
    expect(((joined ? revoked : accepted) as PromiseRejectedResult).reason).toMatchObject(
      joined ? { code: 'not_found', message: 'This invite was already used or revoked.' } : { code: 'validation_failed' },
    );
  });
});

describe('roles and removal', () => {
  it('changes a role, which takes effect on the next request', async () => {
    const member = await invitedUser('MEMBER');
    signInAs(member);
    await expect(listSecrets(projectId, (await db.environment.findFirstOrThrow({ where: { projectId } })).id)).rejects.toThrow(
      "You don't have permission to manage secrets.",
    );
    signInAs(owner);
    const { id } = await membershipOf(member.id);
    expect(await changeRoleAction(projectId, id, 'ADMIN')).toEqual({ ok: true, data: undefined });
    signInAs(member);
    await expect(listSecrets(projectId, (await db.environment.findFirstOrThrow({ where: { projectId } })).id)).resolves.toHaveProperty('rows');
    expect(await db.auditEvent.count({ where: { projectId, action: 'member.role_changed', targetId: id } })).toBe(1);
  });

  it('refuses role changes and removals from non-owners', async () => {
    const admin = await invitedUser('ADMIN');
    const member = await invitedUser('MEMBER');
    const { id } = await membershipOf(member.id);
    signInAs(admin);
    expect(await changeRoleAction(projectId, id, 'OWNER')).toEqual({ ok: false, error: OWNERS_ONLY, code: 'forbidden' });
    expect(await removeMemberAction(projectId, id)).toEqual({ ok: false, error: OWNERS_ONLY, code: 'forbidden' });
    await expect(listMembers(projectId)).rejects.toThrow(OWNERS_ONLY);
    expect((await membershipOf(member.id)).role).toBe('MEMBER');
  });

  it('keeps at least one owner', async () => {
    const { id } = await membershipOf(owner.id);
    expect(await changeRoleAction(projectId, id, 'MEMBER')).toEqual({ ok: false, error: 'A project needs at least one owner.', code: 'conflict' });
    expect(await removeMemberAction(projectId, id)).toEqual({ ok: false, error: 'A project needs at least one owner.', code: 'conflict' });
    expect(await changeRoleAction(projectId, id, 'SUPERUSER')).toMatchObject({ ok: false, error: 'Choose a role' });
  });

  it('keeps an owner when two owners demote or remove each other at the same moment', async () => {
    const second = await invitedUser('ADMIN');
    const leaves = [(id: string) => changeRole(projectId, id, 'MEMBER'), (id: string) => removeMember(projectId, id)];
    for (const leave of leaves) {
      await db.membership.update({ where: { userId_projectId: { userId: second.id, projectId } }, data: { role: 'OWNER' } });
      const [mine, theirs] = [(await membershipOf(owner.id)).id, (await membershipOf(second.id)).id];
      try {
        // One owner acts for both (a test has one session at a time); each change alone leaves the other owner.
        const results = await withWritesHeld('Membership', 2, () => Promise.allSettled([leave(theirs), changeRole(projectId, mine, 'MEMBER')]));
        expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
        const refused = results.find((r) => r.status === 'rejected');
        expect((refused as PromiseRejectedResult).reason).toMatchObject({ code: 'conflict', message: 'A project needs at least one owner.' });
        expect(await db.membership.count({ where: { projectId, role: 'OWNER' } })).toBe(1);
      } finally {
        // Back to one owner (the first) and the second as a member, for the next round and the tests after, pass or fail.
        await db.membership.update({ where: { userId_projectId: { userId: owner.id, projectId } }, data: { role: 'OWNER' } });
        await db.membership.upsert({
          where: { userId_projectId: { userId: second.id, projectId } },
          create: { userId: second.id, projectId, role: 'MEMBER' },
          update: { role: 'MEMBER' },
        });
      }
    }
  });

  it('removes a member, who then loses the project at once', async () => {
    const member = await invitedUser('ADMIN');
    const { id } = await membershipOf(member.id);
    expect(await removeMemberAction(projectId, id)).toEqual({ ok: true, data: undefined });
    signInAs(member);
    const error = await listSecrets(projectId, 'any').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).message).toBe("You don't have access to this project.");
  });
});
