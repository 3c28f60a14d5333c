'use client';

import { useState } from 'react';
import { Button } from '@/components/ui/button';
import { Dialog, DialogBody, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from '@/components/ui/dialog';
import { OneTimeLink } from '@/components/one-time-link';
import { Select } from '@/components/ui/select';
import { useFocusAfterRemoval } from '@/components/use-focus-after-removal';
import { useSubmit } from '@/components/use-submit';
import { changeRoleAction, createPasswordResetLinkAction, removeMemberAction, revokeInviteAction } from '@/lib/members/actions';
import type { MemberRow, PendingInvite } from '@/lib/members/queries';
import { ROLE_LABELS, ROLES } from '@/lib/roles';

const removeButtonId = (membershipId: string) => `remove-member-${membershipId}`;
const revokeInviteButtonId = (inviteId: string) => `revoke-invite-${inviteId}`;
const HEADING_ID = 'members-heading';

type Props = { projectId: string; members: MemberRow[]; invites: PendingInvite[]; currentUserId: string };

export function MemberList({ projectId, members, invites, currentUserId }: Props) {
  const [removing, setRemoving] = useState<MemberRow | null>(null);
  const [resetLink, setResetLink] = useState<{ email: string; link: string } | null>(null);
  const emailOf = (membershipId: string) => members.find((m) => m.id === membershipId)?.email ?? '';

  const reset = useSubmit('createPasswordResetLink', createPasswordResetLinkAction, {
    onSuccess: ({ token }, [, membershipId]) => setResetLink({ email: emailOf(membershipId), link: `${window.location.origin}/reset/${token}` }),
  });
  const changeRole = useSubmit('changeRole', changeRoleAction, {
    success: (_, [, membershipId, role]) => `${emailOf(membershipId)} is now ${ROLE_LABELS[role as keyof typeof ROLE_LABELS]}`,
  });
  const memberRemoved = useFocusAfterRemoval(
    members.map((member) => removeButtonId(member.id)),
    HEADING_ID,
  );
  const inviteRevoked = useFocusAfterRemoval(
    invites.map((invite) => revokeInviteButtonId(invite.id)),
    HEADING_ID,
  );
  const remove = useSubmit('removeMember', removeMemberAction, {
    success: (_, [, membershipId]) => `${emailOf(membershipId)} was removed`,
    onSuccess: (_, [, membershipId]) => memberRemoved(removeButtonId(membershipId)),
  });
  const revoke = useSubmit('revokeInvite', revokeInviteAction, {
    success: 'Invite revoked',
    onSuccess: (_, [, inviteId]) => inviteRevoked(revokeInviteButtonId(inviteId)),
  });
  const pending = reset.pending || changeRole.pending || remove.pending || revoke.pending;

  return (
    <section className="rounded-lg border border-border bg-surface shadow-xs">
      <h2 id={HEADING_ID} tabIndex={-1} className="border-b border-border px-5 py-3 font-medium outline-none">
        People with access
      </h2>
      <ul className="divide-y divide-border">
        {members.map((member) => (
          <li key={member.id} className="flex flex-wrap items-center gap-3 px-5 py-3">
            <div className="min-w-0 flex-1">
              <div className="truncate text-sm font-medium">
                {member.name} {member.userId === currentUserId ? <span className="text-muted-foreground">(you)</span> : null}
              </div>
              <div className="truncate text-xs text-muted-foreground">
                {member.email} · {member.secondFactor ? 'second factor on' : 'no second factor'}
              </div>
            </div>
            <Select
              aria-label={`Role for ${member.email}`}
              value={member.role}
              disabled={pending || member.userId === currentUserId}
              className="w-32"
              onChange={(e) => changeRole.submit(projectId, member.id, e.target.value)}
            >
              {ROLES.map((role) => (
                <option key={role} value={role}>
                  {ROLE_LABELS[role]}
                </option>
              ))}
            </Select>
            <Button
              variant="ghost"
              size="sm"
              aria-label={`Reset password for ${member.email}`}
              disabled={pending || member.userId === currentUserId}
              onClick={() => reset.submit(projectId, member.id)}
            >
              Reset password
            </Button>
            <Button
              id={removeButtonId(member.id)}
              variant="ghost"
              size="sm"
              aria-label={`Remove ${member.email}`}
              disabled={pending || member.userId === currentUserId}
              onClick={() => setRemoving(member)}
            >
              Remove
            </Button>
          </li>
        ))}
        {invites.map((invite) => (
          <li key={invite.id} className="flex flex-wrap items-center gap-3 px-5 py-3">
            <div className="min-w-0 flex-1">
              <div className="truncate text-sm">{invite.email}</div>
              <div className="text-xs text-muted-foreground">
                Invited as {ROLE_LABELS[invite.role]} · link expires {new Date(invite.expiresAt).toLocaleDateString('en')}
              </div>
            </div>
            <Button
              id={revokeInviteButtonId(invite.id)}
              variant="ghost"
              size="sm"
              aria-label={`Revoke invite for ${invite.email}`}
              disabled={pending}
              onClick={() => revoke.submit(projectId, invite.id)}
            >
              Revoke
            </Button>
          </li>
        ))}
      </ul>
      <Dialog open={resetLink !== null} onOpenChange={(open) => !open && setResetLink(null)}>
        <DialogContent>
          <DialogHeader>
            <DialogTitle>Password reset link</DialogTitle>
            <DialogDescription>
              Send this link to {resetLink?.email}. It works once, within 1 hour, and signs them out everywhere. Their second factor stays on.
            </DialogDescription>
          </DialogHeader>
          <DialogBody>
            {resetLink ? (
              <OneTimeLink
                label="Reset link"
                hint="Shown once. Anyone with this link can set this person's password."
                link={resetLink.link}
                copiedMessage="Reset link copied"
              />
            ) : null}
          </DialogBody>
          <DialogFooter>
            <Button onClick={() => setResetLink(null)}>Done</Button>
          </DialogFooter>
        </DialogContent>
      </Dialog>
      <Dialog open={removing !== null} onOpenChange={(open) => !open && setRemoving(null)}>
        <DialogContent size="sm">
          <DialogHeader>
            <DialogTitle>Remove member</DialogTitle>
            <DialogDescription>{removing?.email} loses access to this project at once.</DialogDescription>
          </DialogHeader>
          <DialogFooter>
            <Button onClick={() => setRemoving(null)}>Cancel</Button>
            <Button
              variant="danger"
              loading={pending}
              onClick={() => {
                const member = removing!;
                setRemoving(null);
                void remove.submit(projectId, member.id);
              }}
            >
              Remove member
            </Button>
          </DialogFooter>
        </DialogContent>
      </Dialog>
    </section>
  );
}
