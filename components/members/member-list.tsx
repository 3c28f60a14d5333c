'use client';

import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { toast } from 'sonner';
import { Button } from '@/components/ui/button';
import { Dialog, DialogBody, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from '@/components/ui/dialog';
import { OneTimeLink } from '@/components/one-time-link';
import { Select } from '@/components/ui/select';
import { changeRoleAction, createPasswordResetLinkAction, removeMemberAction, revokeInviteAction } from '@/lib/members/actions';
import type { MemberRow, PendingInvite } from '@/lib/members/queries';
import { ROLE_LABELS, ROLES } from '@/lib/roles';

type Props = { projectId: string; members: MemberRow[]; invites: PendingInvite[]; currentUserId: string };

export function MemberList({ projectId, members, invites, currentUserId }: Props) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [removing, setRemoving] = useState<MemberRow | null>(null);
  const [resetLink, setResetLink] = useState<{ email: string; link: string } | null>(null);

  function createResetLink(member: MemberRow) {
    startTransition(async () => {
      const result = await createPasswordResetLinkAction(projectId, member.id);
      if (result.ok) setResetLink({ email: member.email, link: `${window.location.origin}/reset/${result.data.token}` });
      else toast.error(result.error);
    });
  }

  function run(action: () => Promise<{ ok: boolean; error?: string }>, success: string) {
    startTransition(async () => {
      const result = await action();
      if (result.ok) toast.success(success);
      else toast.error(result.error);
      router.refresh();
    });
  }

  return (
    <section className="rounded-lg border border-border bg-surface shadow-xs">
      <h2 className="border-b border-border px-5 py-3 font-medium">People with access</h2>
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
              onChange={(e) => run(() => changeRoleAction(projectId, member.id, e.target.value), `${member.email} is now ${ROLE_LABELS[e.target.value as keyof typeof ROLE_LABELS]}`)}
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
              onClick={() => createResetLink(member)}
            >
              Reset password
            </Button>
            <Button
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
              variant="ghost"
              size="sm"
              aria-label={`Revoke invite for ${invite.email}`}
              disabled={pending}
              onClick={() => run(() => revokeInviteAction(projectId, invite.id), 'Invite revoked')}
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
              Send this link to {resetLink?.email}. It works once, within 1 hour, and signs them out everywhere. Their second
              factor stays on.
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
            <DialogDescription>
              {removing?.email} loses access to this project at once.
            </DialogDescription>
          </DialogHeader>
          <DialogFooter>
            <Button onClick={() => setRemoving(null)}>Cancel</Button>
            <Button
              variant="danger"
              loading={pending}
              onClick={() => {
                const member = removing!;
                setRemoving(null);
                run(() => removeMemberAction(projectId, member.id), `${member.email} was removed`);
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
