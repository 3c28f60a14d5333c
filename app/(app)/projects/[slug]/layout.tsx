import { notFound } from 'next/navigation';
import { ProjectTabs } from '@/components/projects/project-tabs';
import { SecondFactorRequired } from '@/components/projects/second-factor-required';
import { findProjectBySlug } from '@/lib/projects/queries';

export default async function ProjectLayout({ children, params }: { children: React.ReactNode; params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const project = await findProjectBySlug(slug);
  if (!project) notFound();
  return (
    <>
      <div className="border-b border-border bg-surface">
        <div className="mx-auto max-w-6xl px-4 pt-6">
          <h1 className="truncate text-xl font-semibold tracking-tight">{project.name}</h1>
          <p className="mt-0.5 mb-3 font-mono text-xs text-muted-foreground">{project.slug}</p>
          {project.secondFactorMissing ? null : <ProjectTabs slug={project.slug} />}
        </div>
      </div>
      {/* The data layer refuses this person too; this says why and what to do. */}
      {project.secondFactorMissing ? <SecondFactorRequired projectName={project.name} /> : children}
    </>
  );
}
