import { notFound } from 'next/navigation';
import { SettingsShell } from '@/components/projects/settings-shell';
import { findProjectBySlug } from '@/lib/projects/queries';

export default async function AuditLayout({ children, params }: { children: React.ReactNode; params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const project = await findProjectBySlug(slug);
  if (!project) notFound();
  return <SettingsShell slug={project.slug}>{children}</SettingsShell>;
}
