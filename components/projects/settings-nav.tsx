'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { cn } from '@/components/ui/cn';

export function SettingsNav({ items }: { items: { href: string; label: string }[] }) {
  const pathname = usePathname();
  return (
    <nav aria-label="Settings" className="md:w-48 md:shrink-0">
      <h2 className="mb-2 px-2 text-xs font-medium tracking-wide text-muted-foreground uppercase">Project</h2>
      <ul className="flex gap-1 overflow-x-auto md:flex-col">
        {items.map((item) => {
          const { href } = item;
          const active = pathname === href;
          return (
            <li key={item.href}>
              <Link
                href={href}
                aria-current={active ? 'page' : undefined}
                className={cn(
                  'block rounded-md px-2 py-1.5 text-sm whitespace-nowrap focus-ring',
                  active ? 'bg-surface-hover font-medium text-foreground' : 'text-muted-foreground hover:bg-surface-hover hover:text-foreground',
                )}
              >
                {item.label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
