import type { Metadata } from 'next';
import { NoPermission } from '@/components/projects/no-permission';
import { InviteForm } from '@/components/members/invite-form';
import { MemberList } from '@/components/members/member-list';
import { listMembers } from '@/lib/members/queries';
import { projectForPage } from '@/lib/projects/queries';
import { allows, deniedMessage } from '@/lib/permissions';
import { getSessionUser } from '@/lib/session';

export const metadata: Metadata = { title: 'Members · Keyhold' };

export default async function MembersPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const project = await projectForPage(slug);
  if (!project) return null;
  const heading = (
    <div>
      <h1 className="text-xl font-semibold tracking-tight">Members</h1>
      <p className="mt-1 text-sm text-muted-foreground">Owners manage members; admins manage secrets; members see the project and its environments.</p>
    </div>
  );
  if (!allows(project.role, 'manageMembers')) {
    return (
      <div className="grid grid-cols-1 gap-6">
        {heading}
        <NoPermission message={deniedMessage('manageMembers')} hint="Ask a project owner to invite someone or change a role." />
      </div>
    );
  }
  const [{ members, invites }, me] = await Promise.all([listMembers(project.id), getSessionUser()]);
  // grid-cols-1 is minmax(0, 1fr): the column keeps the page's width. An auto column
  // would widen to the longest unwrapped email of the list, past a phone's screen.
  return (
    <div className="grid grid-cols-1 gap-6">
      {heading}
      <InviteForm projectId={project.id} />
      <MemberList projectId={project.id} members={members} invites={invites} currentUserId={me?.id ?? ''} />
    </div>
  );
}
