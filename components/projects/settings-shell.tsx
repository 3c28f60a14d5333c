import { SettingsNav } from '@/components/projects/settings-nav';

// The project settings' side navigation (DESIGN.md §6). Every page is listed for
// every role; each page checks the role itself and explains a refusal (§5), so
// the navigation never hides a rule. The audit log lives at /projects/<slug>/audit.
const items = (slug: string) => [
  { href: `/projects/${slug}/settings/secrets`, label: 'Secrets' },
  { href: `/projects/${slug}/settings/general`, label: 'General' },
  { href: `/projects/${slug}/settings/members`, label: 'Members' },
  { href: `/projects/${slug}/settings/tokens`, label: 'Tokens' },
  { href: `/projects/${slug}/audit`, label: 'Audit log' },
];

export function SettingsShell({ slug, children }: { slug: string; children: React.ReactNode }) {
  return (
    <div className="mx-auto flex max-w-6xl flex-col gap-6 px-4 py-8 md:flex-row">
      <SettingsNav items={items(slug)} />
      <div className="min-w-0 flex-1">{children}</div>
    </div>
  );
}
