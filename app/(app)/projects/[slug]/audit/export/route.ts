import { NextResponse, type NextRequest } from 'next/server';
import { exportStream, EXPORT_TYPES } from '@/lib/audit/export';
import { auditEventBatches } from '@/lib/audit/queries';
import { EXPORT_FORMATS, parseAuditFilters, type ExportFormat } from '@/lib/audit/schemas';
import { isDatabaseUnavailable } from '@/lib/db';
import { AppError, unauthenticated } from '@/lib/errors';
import { logUnexpected } from '@/lib/log';
import { findProjectBySlug } from '@/lib/projects/queries';
import { getSessionUser } from '@/lib/session';

// GET /projects/<slug>/audit/export?format=csv|jsonl&<the page's filters>:
// the filtered events as a download, streamed batch by batch. The data layer
// checks the caller's role (OWNER, ADMIN) before the first byte.

const error = (status: number, code: string, message: string, fields?: Record<string, string>) =>
  NextResponse.json({ error: { code, message, ...(fields ? { fields } : {}) } }, { status, headers: { 'cache-control': 'no-store' } });

export async function GET(request: NextRequest, { params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const search = request.nextUrl.searchParams;
  const format = search.get('format') as ExportFormat | null;
  if (!format || !EXPORT_FORMATS.includes(format)) return error(400, 'validation_failed', 'format must be csv or jsonl.');
  const { filters, errors } = parseAuditFilters(search);
  if (Object.keys(errors).length > 0) return error(400, 'validation_failed', 'Some filters are not valid.', errors as Record<string, string>);

  try {
    if (!(await getSessionUser())) throw unauthenticated();
    const project = await findProjectBySlug(slug);
    if (!project) return error(404, 'not_found', 'No such project.');
    const batches = auditEventBatches(project.id, filters);
    // The first batch is read before answering: a refusal or an outage is a clean JSON error, not a cut download.
    const first = await batches.next();
    const type = EXPORT_TYPES[format];
    const day = new Date().toISOString().slice(0, 10);
    const body = exportStream(format, first.done ? [] : first.value, batches, (e) => logUnexpected('audit export failed', e));
    return new Response(body, {
      headers: {
        'content-type': type.contentType,
        'content-disposition': `attachment; filename="keyhold-audit-${project.slug}-${day}.${type.extension}"`,
        'cache-control': 'no-store',
      },
    });
  } catch (e) {
    if (e instanceof AppError) return error(e.status, e.code, e.message);
    if (isDatabaseUnavailable(e)) return error(503, 'database_unavailable', 'Keyhold cannot reach its database right now; try again in a moment.');
    logUnexpected('audit export failed', e);
    return error(500, 'internal_error', 'Failed to export the audit log. Please, try again.');
  }
}
