import { Table, TableBody, TableCell, TableContainer, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import { auditActionLabel } from '@/lib/audit/action-labels';
import type { AuditRow } from '@/lib/audit/queries';
import { environmentLabel } from '@/lib/projects/schemas';

const DETAIL_LIMIT = 160;

/** The recorded details in one short line (`fromVersion: 1 · newVersion: 3`); they never hold a value. */
function detailsText(details: Record<string, unknown>): string {
  const parts: string[] = [];
  for (const [name, value] of Object.entries(details)) {
    if (value === null || value === undefined || value === '') continue;
    if (Array.isArray(value)) {
      if (value.length > 0) parts.push(`${name}: ${value.slice(0, 5).join(', ')}${value.length > 5 ? ', …' : ''}`);
    } else if (typeof value !== 'object') parts.push(`${name}: ${String(value)}`);
  }
  const text = parts.join(' · ');
  return text.length > DETAIL_LIMIT ? `${text.slice(0, DETAIL_LIMIT - 1)}…` : text;
}

/** `2026-12-02 14:03:11 UTC`: the same on the server and in every browser. */
const formatTime = (iso: string) => `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC`;

/** The audit events of one page (server-rendered). */
export function AuditTable({ rows }: { rows: AuditRow[] }) {
  return (
    <TableContainer aria-label="Audit events">
      <Table className="min-w-[900px]" aria-label="Audit events">
        <TableHeader>
          <TableRow className="hover:bg-transparent">
            <TableHead>Time</TableHead>
            <TableHead>Actor</TableHead>
            <TableHead>Action</TableHead>
            <TableHead>Target</TableHead>
            <TableHead>Environment</TableHead>
            <TableHead>Address</TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {rows.map((row) => {
            const details = detailsText(row.details);
            return (
              <TableRow key={row.id}>
                <TableCell className="whitespace-nowrap tabular-nums">
                  <time dateTime={row.at}>{formatTime(row.at)}</time>
                </TableCell>
                <TableCell className="max-w-48 break-words">{row.actor}</TableCell>
                <TableCell className="max-w-80">
                  <span className="font-medium" title={row.action}>
                    {auditActionLabel(row.action)}
                  </span>
                  {details ? <p className="mt-0.5 text-xs break-words text-muted-foreground">{details}</p> : null}
                </TableCell>
                <TableCell className={row.targetType === 'secret' ? 'max-w-60 font-mono text-[13px] break-all' : 'max-w-60 break-words'}>
                  {row.target ?? '—'}
                </TableCell>
                <TableCell>{row.environment ? environmentLabel(row.environment) : '—'}</TableCell>
                <TableCell className="font-mono text-[13px] whitespace-nowrap">{row.address ?? '—'}</TableCell>
              </TableRow>
            );
          })}
        </TableBody>
      </Table>
    </TableContainer>
  );
}
