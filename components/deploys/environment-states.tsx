import Link from 'next/link';
import { DeployStatusBadge } from '@/components/deploys/deploy-status-badge';
import { Badge } from '@/components/ui/badge';
import { RelativeTime } from '@/components/ui/relative-time';
import type { EnvironmentDeployState } from '@/lib/deploys/types';
import { environmentLabel } from '@/lib/projects/schemas';

/** One card per environment: deployed number, pending changes, last deploy, hook. Server-compatible; no values. */
export function EnvironmentStates({
  slug,
  environments,
  canManageSecrets,
}: {
  slug: string;
  environments: EnvironmentDeployState[];
  canManageSecrets: boolean;
}) {
  return (
    <ul className="grid gap-3 md:grid-cols-3">
      {environments.map((environment) => {
        const label = environmentLabel(environment.name);
        const titleId = `environment-${environment.id}`;
        return (
          <li key={environment.id}>
            <article aria-labelledby={titleId} className="flex h-full flex-col rounded-lg border border-border bg-surface p-4 shadow-xs">
              <div className="flex items-center justify-between gap-2">
                <h3 id={titleId} className="font-medium">
                  {label}
                </h3>
                <span className="text-xs text-muted-foreground">{environment.secretCount === 1 ? '1 secret' : `${environment.secretCount} secrets`}</span>
              </div>
              <dl className="mt-3 grid grid-cols-[auto_minmax(0,1fr)] gap-x-3 gap-y-2 text-sm">
                <dt className="text-muted-foreground">Deployed</dt>
                <dd>
                  {environment.live ? (
                    <span>
                      <span className="font-mono font-medium">#{environment.live.number}</span>{' '}
                      <span className="text-muted-foreground">
                        · <RelativeTime date={environment.live.createdAt} />
                      </span>
                    </span>
                  ) : (
                    <span className="text-muted-foreground">Not deployed</span>
                  )}
                </dd>
                <dt className="text-muted-foreground">Pending changes</dt>
                <dd>{environment.pending ? <Badge variant="warning">Yes</Badge> : <span>No</span>}</dd>
                <dt className="text-muted-foreground">Last deploy</dt>
                <dd>
                  {environment.last ? (
                    <div className="grid gap-1">
                      <div className="flex flex-wrap items-center gap-1.5">
                        <DeployStatusBadge status={environment.last.status} />
                        <span className="font-mono text-xs">#{environment.last.number}</span>
                      </div>
                      {environment.last.status === 'FAILED' && environment.last.error ? (
                        <span className="text-xs text-danger-muted-foreground">{environment.last.error}</span>
                      ) : null}
                    </div>
                  ) : (
                    <span className="text-muted-foreground">None yet</span>
                  )}
                </dd>
                <dt className="text-muted-foreground">Deploy hook</dt>
                <dd className="truncate">
                  {environment.hook ? (
                    <span title={environment.hook.origin}>
                      <span className="font-mono text-xs">{environment.hook.origin.replace(/^https?:\/\//, '')}</span>
                      <span className="text-muted-foreground">{environment.hook.signed ? ' · signed' : ' · unsigned'}</span>
                    </span>
                  ) : (
                    <span className="text-muted-foreground">None</span>
                  )}
                </dd>
              </dl>
              <div className="mt-auto flex flex-wrap gap-x-4 gap-y-1 pt-4 text-sm font-medium">
                {canManageSecrets ? (
                  <Link
                    href={`/projects/${slug}/settings/secrets?env=${environment.name}`}
                    className="rounded text-accent hover:underline focus-ring"
                    aria-label={`Manage ${label} secrets`}
                  >
                    Manage secrets
                  </Link>
                ) : null}
                <Link
                  href={`/projects/${slug}/deploys?env=${environment.name}`}
                  className="rounded text-accent hover:underline focus-ring"
                  aria-label={`${label} deployments`}
                >
                  Deployments
                </Link>
              </div>
            </article>
          </li>
        );
      })}
    </ul>
  );
}
