import 'server-only';
import { ownsEveryProjectOf } from '@/lib/account/queries';
import { recordAudit } from '@/lib/audit/mutations';
import { hashPassword } from '@/lib/auth/password';
import { db, isUniqueViolation, lockRow, type Tx } from '@/lib/db';
import { conflict, forbidden, invalid, notFound } from '@/lib/errors';
import { PASSWORD_RESET_TTL_MINUTES } from '@/lib/account/schemas';
import { hashLinkToken, newLinkToken } from '@/lib/link-token';
import { INVITE_TTL_DAYS, RESET_TEXT, type AcceptInviteInput, type InviteInput } from '@/lib/members/schemas';
import type { Role } from '@/lib/roles';
import { getSessionUser, requirePermission } from '@/lib/session';
import { clientIp } from '@/lib/request';

/** Creates a one-time invite; returns the token for the link (stored only as a hash). */
export async function createInvite(projectId: string, input: { email: string; role: InviteInput['role'] }): Promise<{ token: string }> {
  const actor = await requirePermission(projectId, 'manageMembers');
  const token = newLinkToken();
  await db.$transaction(async (tx) => {
    // Invites and acceptances of this project take turns: two invites of one email made at once leave one
    // pending, and an invite made while that person joins finds them a member.
    await lockRow(tx, 'Project', { id: projectId });
    const existing = await tx.membership.findFirst({ where: { projectId, user: { email: input.email } }, select: { id: true } });
    if (existing) throw invalid('This person is already a member', { email: 'This person is already a member' });
    // A new invite for the same email replaces any pending one.
    await tx.invite.deleteMany({ where: { projectId, email: input.email, acceptedAt: null } });
    const invite = await tx.invite.create({
      data: {
        projectId,
        email: input.email,
        role: input.role,
        tokenHash: hashLinkToken(token),
        invitedById: actor.userId,
        expiresAt: new Date(Date.now() + INVITE_TTL_DAYS * 86_400_000),
      },
    });
    await recordAudit(tx, actor, {
      projectId,
      action: 'member.invited',
      targetType: 'invite',
      targetId: invite.id,
      targetLabel: input.email,
      details: { role: input.role },
    });
  });
  return { token };
}

export async function revokeInvite(projectId: string, inviteId: string): Promise<void> {
  const actor = await requirePermission(projectId, 'manageMembers');
  await db.$transaction(async (tx) => {
    const gone = () => notFound('This invite was already used or revoked.');
    const invite = await tx.invite.findFirst({ where: { id: inviteId, projectId, acceptedAt: null }, select: { email: true } });
    if (!invite) throw gone();
    // Only while still pending: an acceptance committed meanwhile has made the person a member.
    const { count } = await tx.invite.deleteMany({ where: { id: inviteId, projectId, acceptedAt: null } });
    if (count === 0) throw gone();
    await recordAudit(tx, actor, { projectId, action: 'member.invite_revoked', targetType: 'invite', targetId: inviteId, targetLabel: invite.email });
  });
}

/** At least one OWNER must remain (the caller holds the project's row: two owners demoting each other at once take turns). */
async function assertOwnerRemains(tx: Tx, projectId: string, leavingMembershipId: string) {
  const owners = await tx.membership.count({ where: { projectId, role: 'OWNER', id: { not: leavingMembershipId } } });
  if (owners === 0) throw conflict('A project needs at least one owner.');
}

export async function changeRole(projectId: string, membershipId: string, role: Role): Promise<void> {
  const actor = await requirePermission(projectId, 'manageMembers');
  await db.$transaction(async (tx) => {
    await lockRow(tx, 'Project', { id: projectId });
    const membership = await tx.membership.findFirst({
      where: { id: membershipId, projectId },
      select: { role: true, user: { select: { email: true } } },
    });
    if (!membership) throw notFound('This person is no longer a member.');
    if (membership.role === role) return;
    if (membership.role === 'OWNER') await assertOwnerRemains(tx, projectId, membershipId);
    await tx.membership.update({ where: { id: membershipId }, data: { role } });
    await recordAudit(tx, actor, {
      projectId,
      action: 'member.role_changed',
      targetType: 'membership',
      targetId: membershipId,
      targetLabel: membership.user.email,
      details: { from: membership.role, to: role },
    });
  });
}

export async function removeMember(projectId: string, membershipId: string): Promise<void> {
  const actor = await requirePermission(projectId, 'manageMembers');
  await db.$transaction(async (tx) => {
    await lockRow(tx, 'Project', { id: projectId });
    const membership = await tx.membership.findFirst({
      where: { id: membershipId, projectId },
      select: { role: true, user: { select: { email: true } } },
    });
    if (!membership) throw notFound('This person is no longer a member.');
    if (membership.role === 'OWNER') await assertOwnerRemains(tx, projectId, membershipId);
    await tx.membership.delete({ where: { id: membershipId } });
    await recordAudit(tx, actor, {
      projectId,
      action: 'member.removed',
      targetType: 'membership',
      targetId: membershipId,
      targetLabel: membership.user.email,
      details: { role: membership.role },
    });
  });
}

/**
 * Creates a one-time link (valid 1 hour) with which a member sets a new
 * password; returns the token (stored only as a hash). The owner must own
 * every project the person belongs to: otherwise the owner of any small
 * project could take over the account of someone who owns a bigger one.
 * Using the link ends the person's sessions; their second factor stays.
 */
export async function createPasswordResetLink(projectId: string, membershipId: string): Promise<{ token: string }> {
  const actor = await requirePermission(projectId, 'resetPasswords');
  const membership = await db.membership.findFirst({
    where: { id: membershipId, projectId },
    select: { userId: true, user: { select: { email: true } } },
  });
  if (!membership) throw notFound('This person is no longer a member.');
  if (membership.userId === actor.userId) throw invalid(RESET_TEXT.self);
  if (!(await ownsEveryProjectOf(actor.userId, membership.userId))) throw forbidden(RESET_TEXT.otherProjects);
  const token = newLinkToken();
  await db.$transaction(async (tx) => {
    // A new link replaces any unused one made in this project.
    await tx.passwordReset.deleteMany({ where: { projectId, userId: membership.userId, usedAt: null } });
    const link = await tx.passwordReset.create({
      data: {
        projectId,
        userId: membership.userId,
        tokenHash: hashLinkToken(token),
        createdById: actor.userId,
        expiresAt: new Date(Date.now() + PASSWORD_RESET_TTL_MINUTES * 60_000),
      },
    });
    await recordAudit(tx, actor, {
      projectId,
      action: 'member.password_reset_link_created',
      targetType: 'user',
      targetId: membership.userId,
      targetLabel: membership.user.email,
      details: { link: link.id },
    });
  });
  return { token };
}

/**
 * Redeems an invite link. A new person sets name and password (an account is
 * created); a signed-in user whose email matches the invite just joins.
 * Returns the project slug and the email to sign in with.
 */
export async function acceptInvite(token: string, input: AcceptInviteInput | null): Promise<{ slug: string; email: string }> {
  const invite = await db.invite.findUnique({
    where: { tokenHash: hashLinkToken(token) },
    select: { id: true, projectId: true, email: true, role: true, acceptedAt: true, expiresAt: true, project: { select: { slug: true } } },
  });
  if (!invite || invite.acceptedAt || invite.expiresAt <= new Date()) {
    throw invalid('This invite link is invalid or has expired. Ask the project owner for a new one.');
  }
  const sessionUser = await getSessionUser();
  const existing = await db.user.findUnique({ where: { email: invite.email }, select: { id: true } });
  const signInFirst = () => forbidden(`Sign in as ${invite.email} first, then open this link again.`);
  if (existing && sessionUser?.id !== existing.id) throw signInFirst();
  if (!existing && !input) throw invalid('Name and password are required');
  const passwordHash = existing ? null : await hashPassword(input!.password);
  const ip = await clientIp();

  try {
    await db.$transaction(async (tx) => {
      await lockRow(tx, 'Project', { id: invite.projectId }); // takes turns with createInvite
      // Claiming the invite first makes a double submit fail instead of joining twice.
      const claimed = await tx.invite.updateMany({ where: { id: invite.id, acceptedAt: null }, data: { acceptedAt: new Date() } });
      if (claimed.count === 0) throw invalid('This invite link was already used.');
      const userId = existing?.id ?? (await tx.user.create({ data: { email: invite.email, name: input!.name, passwordHash: passwordHash! } })).id;
      await tx.membership.create({ data: { projectId: invite.projectId, userId, role: invite.role } });
      await recordAudit(
        tx,
        { userId, label: invite.email, ip },
        {
          projectId: invite.projectId,
          action: 'member.joined',
          targetType: 'membership',
          targetLabel: invite.email,
          details: { role: invite.role },
        },
      );
    });
  } catch (error) {
    // Another invite of this email was accepted at the same moment and made the account: as if it had come first.
    if (!existing && isUniqueViolation(error)) throw signInFirst();
    throw error;
  }
  return { slug: invite.project.slug, email: invite.email };
}
