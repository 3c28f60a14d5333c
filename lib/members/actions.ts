'use server';

import { runAction } from '@/lib/action-runner';
import type { ActionResult } from '@/lib/action-result';
import { acceptInvite, changeRole, createInvite, createPasswordResetLink, removeMember, revokeInvite } from '@/lib/members/mutations';
import { acceptInviteSchema, changeRoleSchema, inviteSchema, type AcceptInviteInput, type InviteInput } from '@/lib/members/schemas';

export async function createInviteAction(projectId: string, input: InviteInput): Promise<ActionResult<{ token: string }>> {
  return runAction({ name: 'createInvite', access: { projectId, verb: 'manageMembers' }, schema: inviteSchema, input }, (values) =>
    createInvite(projectId, values),
  );
}

export async function revokeInviteAction(projectId: string, inviteId: string): Promise<ActionResult> {
  return runAction({ name: 'revokeInvite', access: { projectId, verb: 'manageMembers' } }, () => revokeInvite(projectId, inviteId));
}

export async function changeRoleAction(projectId: string, membershipId: string, role: string): Promise<ActionResult> {
  return runAction({ name: 'changeRole', access: { projectId, verb: 'manageMembers' }, schema: changeRoleSchema, input: { role } }, (values) =>
    changeRole(projectId, membershipId, values.role),
  );
}

export async function removeMemberAction(projectId: string, membershipId: string): Promise<ActionResult> {
  return runAction({ name: 'removeMember', access: { projectId, verb: 'manageMembers' } }, () => removeMember(projectId, membershipId));
}

export async function createPasswordResetLinkAction(projectId: string, membershipId: string): Promise<ActionResult<{ token: string }>> {
  return runAction({ name: 'createPasswordResetLink', access: { projectId, verb: 'resetPasswords' } }, () => createPasswordResetLink(projectId, membershipId));
}

/**
 * Public: the invite's token is the check (the data layer also matches a
 * signed-in user's email). `input` is null when a signed-in user with the
 * invited email joins without a new account.
 */
export async function acceptInviteAction(token: string, input: AcceptInviteInput | null): Promise<ActionResult<{ slug: string; email: string }>> {
  return runAction({ name: 'acceptInvite', access: 'public', schema: acceptInviteSchema.nullable(), input }, (values) => acceptInvite(token, values));
}
