import 'server-only';
import { stringify } from 'csv-stringify/sync';
import type { AuditRow } from '@/lib/audit/queries';
import type { ExportFormat } from '@/lib/audit/schemas';

// The audit exports, written batch by batch into a stream: an export of any
// size holds one batch of rows in memory (lib/audit/queries.ts reads them by keyset).

const CSV_HEADER = ['Time', 'Actor', 'Action', 'Target', 'Environment', 'Address', 'Details'];

export const EXPORT_TYPES: Record<ExportFormat, { contentType: string; extension: string }> = {
  csv: { contentType: 'text/csv; charset=utf-8', extension: 'csv' },
  jsonl: { contentType: 'application/x-ndjson; charset=utf-8', extension: 'jsonl' },
};

// A cell starting with = + - @ is prefixed with ' so a spreadsheet does not run it as a formula.
const csv = (records: string[][]) => stringify(records, { escape_formulas: true, record_delimiter: '\r\n' });

function encode(format: ExportFormat, rows: AuditRow[]): string {
  if (format === 'jsonl') {
    return rows
      .map((row) =>
        JSON.stringify({
          time: row.at,
          actor: row.actor,
          action: row.action,
          target: row.target,
          targetType: row.targetType,
          environment: row.environment,
          address: row.address,
          details: row.details,
        }),
      )
      .map((line) => `${line}\n`)
      .join('');
  }
  return csv(rows.map((row) => [row.at, row.actor, row.action, row.target ?? '', row.environment ?? '', row.address ?? '', JSON.stringify(row.details)]));
}

/**
 * A byte stream of the export: the CSV header, then each batch as it is read.
 * `first` is the batch already read (so permission and database failures are
 * answered before any byte is sent); `rest` yields the following ones.
 */
export function exportStream(format: ExportFormat, first: AuditRow[], rest: AsyncIterator<AuditRow[]>, onError: (error: unknown) => void) {
  const encoder = new TextEncoder();
  let started = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!started) {
        started = true;
        const head = format === 'csv' ? csv([CSV_HEADER]) : '';
        controller.enqueue(encoder.encode(head + encode(format, first)));
        return;
      }
      try {
        const next = await rest.next();
        if (next.done) controller.close();
        else controller.enqueue(encoder.encode(encode(format, next.value)));
      } catch (error) {
        onError(error);
        controller.error(error);
      }
    },
    async cancel() {
      await rest.return?.(undefined);
    },
  });
}
