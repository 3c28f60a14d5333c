import { Badge } from '@/components/ui/badge';
import { cn } from '@/components/ui/cn';
import { CHANGED_FIELD_LABELS, countChanges, MESSAGES, type ChangeSummary as Changes } from '@/lib/deploys/schemas';

// Keys and field names only: there is no value to show.

/** "2 added · 1 changed · 1 removed", or "No changes". */
function changeCounts(changes: Changes): string {
  const parts = [
    changes.added.length ? `${changes.added.length} added` : null,
    changes.changed.length ? `${changes.changed.length} changed` : null,
    changes.removed.length ? `${changes.removed.length} removed` : null,
  ].filter(Boolean);
  return parts.length ? parts.join(' · ') : 'No changes';
}

function RebuildFlag() {
  return (
    <Badge variant="warning" className="h-auto py-0.5 whitespace-normal">
      {MESSAGES.rebuildNeeded}
    </Badge>
  );
}

function KeyName({ children }: { children: string }) {
  return <code className="font-mono text-[13px] break-all">{children}</code>;
}

/** The full list, grouped: what the Redeploy dialog shows before confirming. */
export function ChangeList({ changes, className }: { changes: Changes; className?: string }) {
  if (countChanges(changes) === 0) return null;
  const groups = [
    { title: 'Added', entries: changes.added.map((e) => ({ ...e, note: null as string | null })) },
    { title: 'Changed', entries: changes.changed.map((e) => ({ ...e, note: e.fields.map((f) => CHANGED_FIELD_LABELS[f]).join(', ') })) },
    { title: 'Removed', entries: changes.removed.map((e) => ({ ...e, note: null as string | null })) },
  ].filter((group) => group.entries.length > 0);
  return (
    <div className={cn('grid gap-4', className)}>
      {groups.map((group) => (
        <section key={group.title} aria-label={`${group.title} keys`}>
          <h3 className="mb-1.5 text-xs font-medium tracking-wide text-muted-foreground uppercase">
            {group.title} ({group.entries.length})
          </h3>
          <ul className="grid gap-1.5">
            {group.entries.map((entry) => (
              <li key={entry.key} className="flex flex-wrap items-center gap-x-2 gap-y-1 text-sm">
                <KeyName>{entry.key}</KeyName>
                {entry.note ? <span className="text-muted-foreground">{entry.note}</span> : null}
                {entry.rebuild ? <RebuildFlag /> : null}
              </li>
            ))}
          </ul>
        </section>
      ))}
    </div>
  );
}

/** A compact cell for the Deploys table: counts, then the keys behind a disclosure. */
export function ChangeSummaryCell({ changes }: { changes: Changes }) {
  const total = countChanges(changes);
  if (total === 0) return <span className="text-muted-foreground">No changes</span>;
  const lines = [
    ...changes.added.map((e) => ({ sign: '+', label: 'added', ...e })),
    ...changes.changed.map((e) => ({ sign: '~', label: 'changed', ...e })),
    ...changes.removed.map((e) => ({ sign: '−', label: 'removed', ...e })),
  ];
  const rebuild = lines.some((l) => l.rebuild);
  return (
    <details className="group max-w-xs">
      <summary className="cursor-pointer list-none rounded text-sm focus-ring [&::-webkit-details-marker]:hidden">
        <span className="underline decoration-dotted underline-offset-2">{changeCounts(changes)}</span>
        {rebuild ? <span className="ml-1.5 text-xs text-warning-muted-foreground">Rebuild needed</span> : null}
      </summary>
      <ul className="mt-1.5 grid gap-0.5 text-xs">
        {lines.map((line) => (
          <li key={`${line.label}:${line.key}`} className="flex items-baseline gap-1.5">
            <span aria-hidden="true" className="w-3 font-mono text-muted-foreground">
              {line.sign}
            </span>
            <span className="sr-only">{line.label}</span>
            <KeyName>{line.key}</KeyName>
            {line.rebuild ? <span className="sr-only">({MESSAGES.rebuildNeeded})</span> : null}
          </li>
        ))}
      </ul>
    </details>
  );
}
