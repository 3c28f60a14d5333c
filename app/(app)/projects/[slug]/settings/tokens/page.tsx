import type { Metadata } from 'next';
import { CreateTokenForm } from '@/components/tokens/create-token-form';
import { NoPermission } from '@/components/projects/no-permission';
import { TokenList } from '@/components/tokens/token-list';
import { projectForPage } from '@/lib/projects/queries';
import { allows, deniedMessage } from '@/lib/permissions';
import { appOrigin } from '@/lib/request';
import { listTokens } from '@/lib/tokens/queries';

export const metadata: Metadata = { title: 'Tokens · Keyhold' };

export default async function TokensPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const project = await projectForPage(slug);
  if (!project) return null;
  const heading = (
    <div>
      <h1 className="text-xl font-semibold tracking-tight">Tokens</h1>
      <p className="mt-1 text-sm text-muted-foreground">
        Service tokens let machines read an environment&apos;s deployed secrets through the HTTP API (<code className="font-mono text-[13px]">/api/v1</code>)
        and the <code className="font-mono text-[13px]">keyhold</code> CLI.
      </p>
    </div>
  );
  // Hiding the page is not the check: listTokens and every token action check the role again.
  if (!allows(project.role, 'manageTokens')) {
    return (
      <div className="grid grid-cols-1 gap-6">
        {heading}
        <NoPermission message={deniedMessage('manageTokens')} hint="Project owners and admins create and revoke tokens. Ask one of them if you need one." />
      </div>
    );
  }
  const [tokens, origin] = await Promise.all([listTokens(project.id), appOrigin()]);
  return (
    <div className="grid grid-cols-1 gap-6">
      {heading}
      <CreateTokenForm projectId={project.id} environments={project.environments} origin={origin} />
      <TokenList projectId={project.id} tokens={tokens} />
    </div>
  );
}
