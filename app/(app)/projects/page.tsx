import type { Metadata } from 'next';
import Link from 'next/link';
import { FolderKey } from 'lucide-react';
import { NewProjectDialog } from '@/components/projects/new-project-dialog';
import { listMyProjects } from '@/lib/projects/queries';
import { ROLE_LABELS } from '@/lib/roles';

export const metadata: Metadata = { title: 'Projects · Keyhold' };

export default async function ProjectsPage() {
  const projects = await listMyProjects();
  return (
    <div className="mx-auto max-w-6xl px-4 py-8">
      <div className="mb-6 flex flex-wrap items-center justify-between gap-3">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight">Projects</h1>
          <p className="mt-1 text-sm text-muted-foreground">Each project keeps its secrets per environment, encrypted under its own key.</p>
        </div>
        <NewProjectDialog />
      </div>
      {projects.length === 0 ? (
        <div className="rounded-lg border border-dashed border-border px-6 py-14 text-center">
          <FolderKey aria-hidden="true" className="mx-auto size-8 text-muted-foreground" />
          <h2 className="mt-3 font-medium">No projects yet</h2>
          <p className="mx-auto mt-1 max-w-md text-sm text-muted-foreground">
            Create a project for an app or service. It starts with development, staging and production environments.
          </p>
        </div>
      ) : (
        <ul className="grid gap-3 sm:grid-cols-2 lg:grid-cols-3">
          {projects.map((project) => (
            <li key={project.id}>
              <Link
                href={`/projects/${project.slug}`}
                className="block rounded-lg border border-border bg-surface p-4 shadow-xs transition-colors hover:border-accent/50 focus-ring"
              >
                <div className="font-medium">{project.name}</div>
                <div className="mt-1 flex items-center justify-between text-xs text-muted-foreground">
                  <span className="font-mono">{project.slug}</span>
                  <span>{ROLE_LABELS[project.role]}</span>
                </div>
              </Link>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
