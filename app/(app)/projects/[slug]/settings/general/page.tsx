import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { RenameProjectForm } from '@/components/projects/rename-project-form';
import { findProjectBySlug } from '@/lib/projects/queries';
import { can } from '@/lib/roles';

export const metadata: Metadata = { title: 'General settings · Keyhold' };

export default async function GeneralSettingsPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const project = await findProjectBySlug(slug);
  if (!project) notFound();
  return (
    <div className="grid gap-6">
      <div>
        <h1 className="text-xl font-semibold tracking-tight">General</h1>
        <p className="mt-1 text-sm text-muted-foreground">The project&apos;s name and address.</p>
      </div>
      <section className="rounded-lg border border-border bg-surface p-5 shadow-xs">
        <h2 className="font-medium">Project name</h2>
        <p className="mt-1 mb-4 text-sm text-muted-foreground">
          Shown to members. The slug <span className="font-mono text-foreground">{project.slug}</span> in its URL stays the same.
        </p>
        {can.renameProject(project.role) ? (
          <RenameProjectForm projectId={project.id} name={project.name} />
        ) : (
          <p className="text-sm">{project.name}</p>
        )}
      </section>
    </div>
  );
}
