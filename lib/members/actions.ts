'use server';

import { revalidatePath } from 'next/cache';
import { runAction } from '@/lib/action-runner';
import { parseInput } from '@/lib/parse-input';
import type { ActionResult } from '@/lib/action-result';
import { acceptInvite, changeRole, createInvite, createPasswordResetLink, removeMember, revokeInvite } from '@/lib/members/mutations';
import { acceptInviteSchema, changeRoleSchema, inviteSchema, type AcceptInviteInput, type InviteInput } from '@/lib/members/schemas';

const revalidateMembers = () => revalidatePath('/projects/[slug]/settings/members', 'page');

export async function createInviteAction(projectId: string, input: InviteInput): Promise<ActionResult<{ token: string }>> {
  return runAction('Failed to create the invite. Please, try again.', async () => {
    const result = await createInvite(projectId, parseInput(inviteSchema, input));
    revalidateMembers();
    return result;
  });
}

export async function revokeInviteAction(projectId: string, inviteId: string): Promise<ActionResult> {
  return runAction('Failed to revoke the invite. Please, try again.', async () => {
    await revokeInvite(projectId, inviteId);
    revalidateMembers();
  });
}

export async function changeRoleAction(projectId: string, membershipId: string, role: string): Promise<ActionResult> {
  return runAction('Failed to change the role. Please, try again.', async () => {
    await changeRole(projectId, membershipId, parseInput(changeRoleSchema, { role }).role);
    revalidateMembers();
  });
}

export async function removeMemberAction(projectId: string, membershipId: string): Promise<ActionResult> {
  return runAction('Failed to remove the member. Please, try again.', async () => {
    await removeMember(projectId, membershipId);
    revalidateMembers();
  });
}

export async function createPasswordResetLinkAction(projectId: string, membershipId: string): Promise<ActionResult<{ token: string }>> {
  return runAction('Failed to create the reset link. Please, try again.', () => createPasswordResetLink(projectId, membershipId));
}

/** `input` is null when a signed-in user with the invited email joins without a new account. */
export async function acceptInviteAction(token: string, input: AcceptInviteInput | null): Promise<ActionResult<{ slug: string; email: string }>> {
  return runAction('Failed to join the project. Please, try again.', () =>
    acceptInvite(token, input === null ? null : parseInput(acceptInviteSchema, input)),
  );
}
