import type { Metadata } from 'next';
import Link from 'next/link';
import { AcceptInviteForm } from '@/components/members/accept-invite-form';
import { buttonVariants } from '@/components/ui/button';
import { findInvite } from '@/lib/members/queries';
import { ROLE_LABELS } from '@/lib/roles';
import { getSessionUser } from '@/lib/session';

export const metadata: Metadata = { title: 'Join a project · Keyhold', referrer: 'no-referrer' };

export default async function InvitePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const invite = await findInvite(token);
  if (!invite) {
    return (
      <>
        <h1 className="text-lg font-semibold">Invite not valid</h1>
        <p className="mt-2 text-sm text-muted-foreground">
          This invite link is invalid, was already used, or has expired. Ask the project owner for a new one.
        </p>
      </>
    );
  }
  const user = await getSessionUser();
  const signedInAsInvitee = user?.email === invite.email;
  return (
    <>
      <h1 className="text-lg font-semibold">Join {invite.projectName}</h1>
      <p className="mt-1 mb-5 text-sm text-muted-foreground">
        You were invited as <strong className="text-foreground">{ROLE_LABELS[invite.role]}</strong> with{' '}
        <span className="font-medium text-foreground">{invite.email}</span>.
      </p>
      {invite.accountExists && !signedInAsInvitee ? (
        <Link href={`/login?callbackUrl=${encodeURIComponent(`/invite/${token}`)}`} className={buttonVariants({ variant: 'primary', className: 'w-full' })}>
          Sign in as {invite.email} to join
        </Link>
      ) : (
        <AcceptInviteForm token={token} email={invite.email} newAccount={!invite.accountExists} />
      )}
    </>
  );
}
