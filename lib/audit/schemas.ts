import { z } from 'zod';

// Pure: the audit page's filters as they travel in the URL (the page, its
// Next/Previous links and both exports read the same search params).

export const AUDIT_PAGE_SIZE = 50;

const DAY = /^\d{4}-\d{2}-\d{2}$/;
/** A real calendar day (2020-02-30 is not one, though Date.parse rolls it over). */
const validDay = (value: string) => {
  const time = DAY.test(value) ? Date.parse(`${value}T00:00:00Z`) : NaN;
  return !Number.isNaN(time) && new Date(time).toISOString().slice(0, 10) === value;
};

const filterFields = {
  /** `user:<id>` or `token:<id>` */
  actor: z.string().regex(/^(user|token):[\w-]{1,64}$/, 'Choose an actor from the list'),
  action: z.string().regex(/^[a-z_]+(\.[a-z_]+)+$/, 'Choose an action from the list'),
  key: z.string().trim().max(256, 'Secret key must be at most 256 characters'),
  env: z.string().max(64, 'Choose an environment from the list'),
  from: z.string().refine(validDay, 'Enter a date as YYYY-MM-DD'),
  to: z.string().refine(validDay, 'Enter a date as YYYY-MM-DD'),
};

export type AuditFilterName = keyof typeof filterFields;
export const AUDIT_FILTER_NAMES = Object.keys(filterFields) as AuditFilterName[];

export type AuditFilters = Partial<Record<AuditFilterName, string>>;

/** The page's cursor: `after` pages to older events, `before` to newer ones. */
export type AuditCursor = { after?: string; before?: string };

type SearchParams = Record<string, string | string[] | undefined> | URLSearchParams;

const param = (params: SearchParams, name: string): string | undefined => {
  const value = params instanceof URLSearchParams ? params.get(name) : params[name];
  const one = Array.isArray(value) ? value[0] : value;
  return one === null || one === undefined || one.trim() === '' ? undefined : one;
};

/**
 * Reads the filters from search params. A value that does not parse is left
 * out of the filters and named in `errors` (shown under its field), so a bad
 * link still shows the log instead of failing.
 */
export function parseAuditFilters(params: SearchParams): { filters: AuditFilters; errors: AuditFilters; cursor: AuditCursor } {
  const filters: AuditFilters = {};
  const errors: AuditFilters = {};
  for (const name of AUDIT_FILTER_NAMES) {
    const raw = param(params, name);
    if (raw === undefined) continue;
    const parsed = filterFields[name].safeParse(raw);
    if (parsed.success) {
      if (parsed.data !== '') filters[name] = parsed.data;
    } else errors[name] = parsed.error.issues[0]?.message ?? 'Invalid value';
  }
  if (filters.from && filters.to && filters.from > filters.to) {
    errors.to = 'The end date must not be before the start date';
    delete filters.to;
  }
  const after = param(params, 'after');
  const before = param(params, 'before');
  return { filters, errors, cursor: after ? { after } : before ? { before } : {} };
}

/** Search params for filters (and optionally a cursor), in a stable order. */
export function auditQuery(filters: AuditFilters, cursor: AuditCursor = {}): string {
  const query = new URLSearchParams();
  for (const name of AUDIT_FILTER_NAMES) if (filters[name]) query.set(name, filters[name]);
  if (cursor.after) query.set('after', cursor.after);
  else if (cursor.before) query.set('before', cursor.before);
  const qs = query.toString();
  return qs ? `?${qs}` : '';
}

export const AUDIT_DENIED_HINT = 'They can read and export it. Ask one of them if you need an event.';
export const EXPORT_FORMATS = ['csv', 'jsonl'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
