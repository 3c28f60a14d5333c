import { SECRET_TYPES, type SecretType } from '@/lib/secrets/schemas';

// What the secrets table shows, as it travels in the URL
// (?env=production&q=…&sort=updated&type=TOKEN&public=yes&after=…).
// Plain: the page parses it, the table builds its links with it.

const SECRET_SORTS = ['key', 'key-desc', 'updated', 'updated-asc'] as const;
export type SecretSort = (typeof SECRET_SORTS)[number];

const PUBLIC_FILTERS = ['yes', 'no'] as const;
export type PublicFilter = (typeof PUBLIC_FILTERS)[number];

export type SecretListQuery = {
  q: string;
  /** Default `key` (A→Z); `updated` is newest first. */
  sort: SecretSort;
  type: SecretType | null;
  /** `yes`: only NEXT_PUBLIC_ keys; `no`: none of them. */
  public: PublicFilter | null;
  /** Opaque keyset cursor: the page's `nextCursor`. */
  after: string | null;
};

const pick = <T extends string>(values: readonly T[], value: unknown): T | null =>
  typeof value === 'string' && (values as readonly string[]).includes(value) ? (value as T) : null;

/** The URL's search parameters as a query; anything unknown is the default. */
export function parseSecretListQuery(params: Record<string, string | string[] | undefined>): SecretListQuery {
  const text = (name: string) => (typeof params[name] === 'string' ? params[name] : '');
  return {
    q: text('q').trim(),
    sort: pick(SECRET_SORTS, params.sort) ?? 'key',
    type: pick(SECRET_TYPES, params.type),
    public: pick(PUBLIC_FILTERS, params.public),
    after: text('after') || null,
  };
}

/** The page's URL for an environment and a query (defaults left out). */
export function secretListHref(pathname: string, env: string, query: Partial<SecretListQuery> = {}): string {
  const params = new URLSearchParams({ env });
  if (query.q) params.set('q', query.q);
  if (query.sort && query.sort !== 'key') params.set('sort', query.sort);
  if (query.type) params.set('type', query.type);
  if (query.public) params.set('public', query.public);
  if (query.after) params.set('after', query.after);
  return `${pathname}?${params.toString()}`;
}
