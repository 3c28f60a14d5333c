import { Badge } from '@/components/ui/badge';
import { Banner } from '@/components/ui/banner';
import { RelativeTime } from '@/components/ui/relative-time';
import type { SecretRow } from '@/lib/secrets/types';

/** The secrets table's `Last read` cell (styled by `.secrets-table`): when and by which token, or the `Not read in 90 days` badge. */
export function LastReadCell({ row }: { row: Pick<SecretRow, 'lastRead' | 'notReadIn90Days'> }) {
  return (
    <>
      {row.lastRead ? (
        <>
          <RelativeTime date={row.lastRead.at} />
          <span className="by" title={row.lastRead.by}>
            by {row.lastRead.by}
          </span>
        </>
      ) : (
        <span className="muted">Never</span>
      )}
      {row.notReadIn90Days ? (
        <Badge variant="warning" className="mt-1 flex w-fit">
          Not read in 90 days
        </Badge>
      ) : null}
    </>
  );
}

/** The delete dialog's warning for a secret read in the last 7 days: `Read 3 hours ago by token ci-production`. */
export function RecentReadWarning({ secret }: { secret: Pick<SecretRow, 'lastRead'> | null }) {
  const read = secret?.lastRead;
  if (!read?.recent) return null;
  return (
    <Banner variant="warning" title="This secret is in use">
      <span>
        Read <RelativeTime date={read.at} /> by {read.by}
      </span>
    </Banner>
  );
}
