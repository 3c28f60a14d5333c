import 'server-only';
import { Prisma } from '@/lib/generated/prisma/client';
import { db, provider } from '@/lib/db';
import { notFound } from '@/lib/errors';
import { environmentLabel } from '@/lib/projects/schemas';
import { isStaleFingerprint, refreshFingerprints } from '@/lib/secrets/fingerprint';
import { isPublicKey, type SecretType } from '@/lib/secrets/schemas';
import type { SecretListQuery, SecretSort } from '@/lib/secrets/list-query';
import type { LastRead, SecretHistoryEntry, SecretPage, SecretRow } from '@/lib/secrets/types';
import { requirePermission } from '@/lib/session';

const PAGE_SIZE = 50;

/** Text as a literal in a PostgreSQL LIKE pattern (whose escape character is a backslash); SQLite's LIKE has none. */
const likeLiteral = (text: string) => text.replace(/[\\%_]/g, '\\$&');

// Keys starting with NEXT_PUBLIC_, exactly (isPublicKey). Prisma's startsWith
// is a LIKE that leaves `_` a wildcard (escaped for PostgreSQL's LIKE), and
// SQLite's LIKE ignores case: on SQLite's binary order the prefix is a range.
const PUBLIC_KEY: Prisma.StringFilter = provider === 'sqlite' ? { gte: 'NEXT_PUBLIC_', lt: 'NEXT_PUBLIC`' } : { startsWith: likeLiteral('NEXT_PUBLIC_') };

// A search matches its text literally, in any case, in the key or the
// description. PostgreSQL: LIKE on the folded key and ILIKE on the description,
// with `\`, `%` and `_` escaped. SQLite's LIKE ignores (ASCII) case but has no
// escape character, so `%` and `_` there match any character: listSecrets
// keeps only the rows that hold the text itself.
function searchWhere(search: string): Prisma.SecretWhereInput {
  if (provider === 'sqlite') return { OR: [{ keyFolded: { contains: search.toLowerCase() } }, { description: { contains: search } }] };
  const text = likeLiteral(search);
  return { OR: [{ keyFolded: { contains: text.toLowerCase() } }, { description: { contains: text, mode: 'insensitive' } as Prisma.StringFilter }] };
}

/** Rows read per query while SQLite's wildcard matches are sifted out. */
const SIFT_BATCH = 500;

type Cursor = { key: string } | { updatedAt: Date; id: string };

const cursorOf = (sort: SecretSort, row: { key: string; updatedAt: Date; id: string }): Cursor =>
  sort === 'key' || sort === 'key-desc' ? { key: row.key } : { updatedAt: row.updatedAt, id: row.id };

const formatCursor = (cursor: Cursor): string => ('key' in cursor ? cursor.key : `${cursor.updatedAt.toISOString()}~${cursor.id}`);

function parseCursor(sort: SecretSort, after: string | null): Cursor | null {
  if (!after) return null;
  if (sort === 'key' || sort === 'key-desc') return { key: after };
  const [at, id] = after.split('~');
  const updatedAt = new Date(at);
  return id && !Number.isNaN(updatedAt.getTime()) ? { updatedAt, id } : null;
}

/** Where the page after `cursor` starts, in the order of `sort`. */
function afterCursor(sort: SecretSort, cursor: Cursor | null): Prisma.SecretWhereInput {
  if (!cursor) return {};
  if ('key' in cursor) return { key: sort === 'key' ? { gt: cursor.key } : { lt: cursor.key } };
  const beyond = sort === 'updated' ? 'lt' : 'gt';
  return {
    // The first bound is implied by the OR; it lets the database seek to the
    // cursor in the update index instead of reading every earlier page.
    updatedAt: { [beyond === 'lt' ? 'lte' : 'gte']: cursor.updatedAt },
    OR: [{ updatedAt: { [beyond]: cursor.updatedAt } }, { updatedAt: cursor.updatedAt, id: { [beyond]: cursor.id } }],
  };
}

const ORDER: Record<SecretSort, Prisma.SecretOrderByWithRelationInput[]> = {
  key: [{ key: 'asc' }],
  'key-desc': [{ key: 'desc' }],
  updated: [{ updatedAt: 'desc' }, { id: 'desc' }],
  'updated-asc': [{ updatedAt: 'asc' }, { id: 'asc' }],
};

/**
 * One page of an environment's secrets, searched (key and description),
 * filtered and sorted on the server. Keyset paging: `after` is the previous
 * page's `nextCursor`, so page N costs what page 1 costs.
 */
export async function listSecrets(
  projectId: string,
  environmentId: string,
  { q = '', after = null, sort = 'key', type = null, public: publicFilter = null, limit = PAGE_SIZE }: Partial<SecretListQuery> & { limit?: number } = {},
): Promise<SecretPage> {
  await requirePermission(projectId, 'manageSecrets');
  const search = q.trim();
  const read = (cursor: Cursor | null, take: number) =>
    db.secret.findMany({
      where: {
        AND: [
          { projectId, environmentId },
          afterCursor(sort, cursor),
          search ? searchWhere(search) : {},
          type ? { type } : {},
          publicFilter === 'yes' ? { key: PUBLIC_KEY } : publicFilter === 'no' ? { NOT: { key: PUBLIC_KEY } } : {},
        ],
      },
      orderBy: ORDER[sort],
      take,
      select: {
        id: true,
        key: true,
        description: true,
        type: true,
        revision: true,
        createdAt: true,
        updatedAt: true,
        updatedById: true,
        lastReadAt: true,
        lastReadBy: true,
        valueFingerprint: true,
      },
    });
  let rows = await read(parseCursor(sort, after), limit + 1);
  if (provider === 'sqlite' && /[%_]/.test(search)) {
    // SQLite's LIKE read `%` and `_` as any character: keep the rows that hold
    // the text, reading on until the page (and one row beyond it) is full.
    const text = search.toLowerCase();
    const holds = (row: { key: string; description: string }) => row.key.toLowerCase().includes(text) || row.description.toLowerCase().includes(text);
    let batch = rows;
    let asked = limit + 1;
    rows = batch.filter(holds);
    // A batch shorter than asked for was the end of the environment.
    while (rows.length <= limit && batch.length === asked) {
      asked = SIFT_BATCH;
      batch = await read(cursorOf(sort, batch[batch.length - 1]), asked);
      rows.push(...batch.filter(holds));
    }
    rows = rows.slice(0, limit + 1);
  }
  const page = rows.slice(0, limit);
  const now = Date.now();
  const last = page[page.length - 1];
  const editorIds = [...new Set(page.map((r) => r.updatedById).filter((id): id is string => !!id))];
  const [sameValueAs, editors] = await Promise.all([
    sameValueLabels(projectId, page),
    editorIds.length ? db.user.findMany({ where: { id: { in: editorIds } }, select: { id: true, name: true } }) : [],
  ]);
  const names = new Map(editors.map((u) => [u.id, u.name]));
  return {
    rows: page.map((row): SecretRow => ({
      id: row.id,
      key: row.key,
      description: row.description,
      type: row.type as SecretType,
      isPublic: isPublicKey(row.key),
      revision: row.revision,
      createdAt: row.createdAt.toISOString(),
      updatedAt: row.updatedAt.toISOString(),
      updatedBy: (row.updatedById && names.get(row.updatedById)) ?? null,
      ...lastReadOf(row, now),
      sameValueAs: sameValueAs.get(row.id) ?? null,
    })),
    nextCursor: rows.length > limit ? formatCursor(cursorOf(sort, last)) : null,
  };
}

/**
 * `Same value as STRIPE_KEY in Staging` for each row whose value another secret
 * of the project (any environment) also has, found by keyed fingerprint
 * (lib/secrets/fingerprint.ts) without decrypting. Fingerprints stay here: only
 * the labels reach the browser. Rows without a current fingerprint (created
 * before fingerprints, or after a master key rotation) are computed first.
 */
async function sameValueLabels(projectId: string, rows: { id: string; valueFingerprint: string | null }[]): Promise<Map<string, string>> {
  let fingerprints = new Map(rows.map((row) => [row.id, row.valueFingerprint]));
  if (rows.some((row) => isStaleFingerprint(row.valueFingerprint))) {
    await refreshFingerprints(projectId);
    const fresh = await db.secret.findMany({ where: { id: { in: rows.map((r) => r.id) } }, select: { id: true, valueFingerprint: true } });
    fingerprints = new Map(fresh.map((row) => [row.id, row.valueFingerprint]));
  }
  const wanted = [...new Set([...fingerprints.values()].filter((f): f is string => f !== null))];
  if (wanted.length === 0) return new Map();
  // For each value held more than once: how many hold it, and its first two
  // holders (environment order, then key), which is all a label needs. The
  // database counts, so a value shared by thousands of secrets costs what one
  // shared by two does. Most pages have no shared value: no row comes back.
  const holders = await db.$queryRaw<{ fingerprint: string; id: string; key: string; environment: string; holders: bigint | number }[]>`
    SELECT "fingerprint", "id", "key", "environment", "holders" FROM (
      SELECT s."valueFingerprint" AS "fingerprint", s."id", s."key", e."name" AS "environment",
        count(*) OVER (PARTITION BY s."valueFingerprint") AS "holders",
        row_number() OVER (PARTITION BY s."valueFingerprint" ORDER BY e."position", s."key") AS "place"
      FROM "Secret" s JOIN "Environment" e ON e."id" = s."environmentId"
      WHERE s."projectId" = ${projectId} AND s."valueFingerprint" IN (${Prisma.join(wanted)})
    ) AS "ranked"
    WHERE "holders" > 1 AND "place" <= 2
    ORDER BY "fingerprint", "place"`;
  const firstTwo = new Map<string, typeof holders>();
  for (const holder of holders) firstTwo.set(holder.fingerprint, [...(firstTwo.get(holder.fingerprint) ?? []), holder]);
  const labels = new Map<string, string>();
  for (const [id, fingerprint] of fingerprints) {
    const group = fingerprint ? firstTwo.get(fingerprint) : undefined;
    const other = group?.find((holder) => holder.id !== id);
    if (!group || !other) continue;
    const others = Number(group[0].holders) - 1;
    labels.set(id, `Same value as ${other.key} in ${environmentLabel(other.environment)}${others > 1 ? ` and ${others - 1} more` : ''}`);
  }
  return labels;
}

const DAY = 24 * 3600_000;

/** "Last read" of a secret row (Secret.lastRead*, written with the batched `secrets.read` events). */
function lastReadOf(
  row: { createdAt: Date; lastReadAt: Date | null; lastReadBy: string | null },
  now: number,
): { lastRead: LastRead | null; notReadIn90Days: boolean } {
  const at = row.lastReadAt?.getTime() ?? null;
  return {
    lastRead: at === null ? null : { at: row.lastReadAt!.toISOString(), by: row.lastReadBy ?? 'unknown', recent: at > now - 7 * DAY },
    notReadIn90Days: row.createdAt.getTime() < now - 90 * DAY && (at === null || at < now - 90 * DAY),
  };
}

type AuditDetails = { changed?: string[]; version?: number; type?: string; fromVersion?: number; newVersion?: number };

function summarize(action: string, details: AuditDetails): string {
  switch (action) {
    case 'secret.created':
      return `Created (version ${details.version ?? 1})`;
    case 'secret.restored':
      return `Version ${details.fromVersion} restored (version ${details.newVersion})`;
    case 'secret.deleted':
      return 'Deleted';
    default: {
      const parts = (details.changed ?? []).map((field) =>
        field === 'value'
          ? `Value changed (version ${details.version})`
          : field === 'type' && details.type
            ? `Type: ${details.type}`
            : `${field[0].toUpperCase()}${field.slice(1)} changed`,
      );
      return parts.join(' · ') || 'Updated';
    }
  }
}

/** The value version an event created, if it created one. */
function createdVersion(action: string, details: AuditDetails): number | null {
  if (action === 'secret.created') return details.version ?? 1;
  if (action === 'secret.value_changed') return details.version ?? null;
  if (action === 'secret.restored') return details.newVersion ?? null;
  return null;
}

const HISTORY_LIMIT = 100;

/**
 * What happened to one secret, newest first: who, when, which fields, and
 * which value version each change made (earlier ones can be restored). A
 * version written without its own event (an import, say) is listed by itself.
 * Never values.
 */
export async function secretHistory(projectId: string, secretId: string): Promise<SecretHistoryEntry[]> {
  await requirePermission(projectId, 'manageSecrets');
  const secret = await db.secret.findFirst({
    where: { id: secretId, projectId },
    select: {
      currentVersion: true,
      versions: { select: { version: true, createdAt: true, createdById: true }, orderBy: { version: 'desc' }, take: HISTORY_LIMIT },
    },
  });
  if (!secret) throw notFound('This secret no longer exists. Reload the page.');
  const events = await db.auditEvent.findMany({
    where: { projectId, targetType: 'secret', targetId: secretId },
    orderBy: { createdAt: 'desc' },
    take: HISTORY_LIMIT,
    select: { id: true, action: true, actorLabel: true, createdAt: true, details: true },
  });
  const versions = new Set(secret.versions.map((v) => v.version));
  const restorable = (version: number | null) => version !== null && version !== secret.currentVersion && versions.has(version);
  const entries: SecretHistoryEntry[] = events.map((event) => {
    const details = JSON.parse(event.details) as AuditDetails;
    const version = createdVersion(event.action, details);
    return {
      id: event.id,
      action: event.action,
      actor: event.actorLabel,
      at: event.createdAt.toISOString(),
      summary: summarize(event.action, details),
      version,
      restorable: restorable(version),
    };
  });
  const listed = new Set(entries.map((entry) => entry.version));
  const unlisted = secret.versions.filter((v) => !listed.has(v.version));
  if (unlisted.length > 0) {
    const authors = await db.user.findMany({
      where: { id: { in: unlisted.map((v) => v.createdById).filter((id): id is string => !!id) } },
      select: { id: true, email: true },
    });
    const emails = new Map(authors.map((u) => [u.id, u.email]));
    for (const v of unlisted) {
      entries.push({
        id: `version-${v.version}`,
        action: 'version',
        actor: (v.createdById && emails.get(v.createdById)) || 'Keyhold',
        at: v.createdAt.toISOString(),
        summary: `Version ${v.version}`,
        version: v.version,
        restorable: restorable(v.version),
      });
    }
    entries.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : (b.version ?? 0) - (a.version ?? 0)));
  }
  return entries;
}
