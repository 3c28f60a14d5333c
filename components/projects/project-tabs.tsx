'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { cn } from '@/components/ui/cn';

export function ProjectTabs({ slug }: { slug: string }) {
  const pathname = usePathname();
  const base = `/projects/${slug}`;
  const tabs = [
    { href: base, label: 'Overview', active: pathname === base },
    { href: `${base}/deploys`, label: 'Deploys', active: pathname.startsWith(`${base}/deploys`) },
    // The audit log sits in the settings navigation (DESIGN.md §6).
    { href: `${base}/settings`, label: 'Settings', active: pathname.startsWith(`${base}/settings`) || pathname.startsWith(`${base}/audit`) },
  ];
  return (
    <nav aria-label="Project" className="-mb-px flex gap-1 overflow-x-auto">
      {tabs.map((tab) => (
        <Link
          key={tab.href}
          href={tab.href}
          aria-current={tab.active ? 'page' : undefined}
          className={cn(
            'border-b-2 px-3 py-2 text-sm whitespace-nowrap focus-ring',
            tab.active ? 'border-accent font-medium text-foreground' : 'border-transparent text-muted-foreground hover:text-foreground',
          )}
        >
          {tab.label}
        </Link>
      ))}
    </nav>
  );
}
