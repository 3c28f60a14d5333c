import { notFound } from 'next/navigation';
import { SettingsNav } from '@/components/projects/settings-nav';
import { findProjectBySlug } from '@/lib/projects/queries';

// Every page is listed for every role; each page checks the role itself and
// explains a refusal (DESIGN.md §5), so the navigation never hides a rule.
const ITEMS = [
  { segment: 'secrets', label: 'Secrets' },
  { segment: 'general', label: 'General' },
  { segment: 'members', label: 'Members' },
  { segment: 'tokens', label: 'Tokens' },
];

export default async function SettingsLayout({ children, params }: { children: React.ReactNode; params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const project = await findProjectBySlug(slug);
  if (!project) notFound();
  return (
    <div className="mx-auto flex max-w-6xl flex-col gap-6 px-4 py-8 md:flex-row">
      <SettingsNav slug={project.slug} items={ITEMS} />
      <div className="min-w-0 flex-1">{children}</div>
    </div>
  );
}
