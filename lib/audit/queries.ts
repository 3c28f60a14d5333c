import 'server-only';
import { chainOf } from '@/lib/audit/chain';
import { lastVerification, verifyChain, type ChainProblem } from '@/lib/audit/verify';
import { db } from '@/lib/db';
import { notFound } from '@/lib/errors';
import { NOT_A_MEMBER } from '@/lib/permissions';
import type { Prisma } from '@/lib/generated/prisma/client';
import { AUDIT_PAGE_SIZE, type AuditCursor, type AuditFilters } from '@/lib/audit/schemas';
import { requirePermission } from '@/lib/session';

// What the audit page and its exports read: one project's events, newest
// first, filtered and keyset-paged on (createdAt, id). Events never hold a
// value (lib/audit/mutations.ts); these rows carry only what the table shows.

export type AuditRow = {
  id: string;
  /** ISO timestamp */
  at: string;
  /** A person's name, `token <name>`, or Keyhold's own label. */
  actor: string;
  action: string;
  target: string | null;
  targetType: string | null;
  environment: string | null;
  /** The client address the action came from. */
  address: string | null;
  /** Non-secret details as recorded (changed fields, versions, roles, counts). */
  details: Record<string, unknown>;
};

export type AuditPage = {
  rows: AuditRow[];
  /** For the Previous link (`before`): null on the newest page. */
  newer: string | null;
  /** For the Next link (`after`): null on the oldest page. */
  older: string | null;
};

export type AuditFilterOptions = {
  actors: { value: string; label: string }[];
  environments: string[];
};

const select = {
  id: true,
  createdAt: true,
  actorId: true,
  actorTokenId: true,
  actorLabel: true,
  action: true,
  targetType: true,
  targetLabel: true,
  environment: true,
  details: true,
  ip: true,
} as const;

type EventRow = Prisma.AuditEventGetPayload<{ select: typeof select }>;

const DAY_MS = 86_400_000;

function filterWhere(projectId: string, filters: AuditFilters): Prisma.AuditEventWhereInput {
  const [kind, actorId] = filters.actor?.split(':') ?? [];
  return {
    projectId,
    ...(kind === 'user' ? { actorId } : kind === 'token' ? { actorTokenId: actorId } : {}),
    ...(filters.action ? { action: filters.action } : {}),
    ...(filters.key ? { targetType: 'secret', targetLabel: filters.key } : {}),
    ...(filters.env ? { environment: filters.env } : {}),
    ...(filters.from || filters.to
      ? {
          createdAt: {
            ...(filters.from ? { gte: new Date(`${filters.from}T00:00:00.000Z`) } : {}),
            // The end date is inclusive: up to the start of the next day (UTC).
            ...(filters.to ? { lt: new Date(Date.parse(`${filters.to}T00:00:00.000Z`) + DAY_MS) } : {}),
          },
        }
      : {}),
  };
}

// A cursor is `<createdAt ms>.<id>` of the row a page starts after (or before).
const encodeCursor = (row: { createdAt: Date; id: string }) => `${row.createdAt.getTime()}.${row.id}`;

function decodeCursor(cursor: string | undefined): { at: Date; id: string } | null {
  const match = cursor ? /^(\d{1,15})\.([\w-]{1,64})$/.exec(cursor) : null;
  return match ? { at: new Date(Number(match[1])), id: match[2] } : null;
}

const olderThan = (c: { at: Date; id: string }): Prisma.AuditEventWhereInput => ({
  OR: [{ createdAt: { lt: c.at } }, { createdAt: c.at, id: { lt: c.id } }],
});
const newerThan = (c: { at: Date; id: string }): Prisma.AuditEventWhereInput => ({
  OR: [{ createdAt: { gt: c.at } }, { createdAt: c.at, id: { gt: c.id } }],
});

const NEWEST_FIRST = [{ createdAt: 'desc' }, { id: 'desc' }] as const satisfies Prisma.AuditEventOrderByWithRelationInput[];
const OLDEST_FIRST = [{ createdAt: 'asc' }, { id: 'asc' }] as const satisfies Prisma.AuditEventOrderByWithRelationInput[];

/** Turns event rows into table rows: people by their current name, tokens as `token <name>`. */
class ActorNames {
  private users = new Map<string, string>();
  private tokens = new Map<string, string>();

  async load(rows: EventRow[]): Promise<void> {
    const userIds = [...new Set(rows.map((r) => r.actorId).filter((id): id is string => !!id && !this.users.has(id)))];
    const tokenIds = [...new Set(rows.map((r) => r.actorTokenId).filter((id): id is string => !!id && !this.tokens.has(id)))];
    const [users, tokens] = await Promise.all([
      userIds.length ? db.user.findMany({ where: { id: { in: userIds } }, select: { id: true, name: true } }) : [],
      tokenIds.length ? db.serviceToken.findMany({ where: { id: { in: tokenIds } }, select: { id: true, name: true } }) : [],
    ]);
    for (const user of users) this.users.set(user.id, user.name);
    for (const token of tokens) this.tokens.set(token.id, token.name);
  }

  of(row: EventRow): string {
    if (row.actorTokenId) {
      // A token's label is `token:<name> (<prefix>)` when it was recorded.
      const name = this.tokens.get(row.actorTokenId) ?? /^token:(.*?)(?: \([^)]*\))?$/.exec(row.actorLabel)?.[1] ?? row.actorLabel;
      return `token ${name}`;
    }
    return (row.actorId && this.users.get(row.actorId)) || row.actorLabel;
  }
}

function parseDetails(json: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(json);
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

async function toRows(events: EventRow[], names: ActorNames): Promise<AuditRow[]> {
  await names.load(events);
  return events.map((event) => ({
    id: event.id,
    at: event.createdAt.toISOString(),
    actor: names.of(event),
    action: event.action,
    target: event.targetLabel,
    targetType: event.targetType,
    environment: event.environment,
    address: event.ip,
    details: parseDetails(event.details),
  }));
}

/** One page of the project's audit events, newest first. OWNER and ADMIN only. */
export async function listAuditEvents(projectId: string, filters: AuditFilters, cursor: AuditCursor = {}, limit = AUDIT_PAGE_SIZE): Promise<AuditPage> {
  await requirePermission(projectId, 'readAudit');
  const where = filterWhere(projectId, filters);
  const after = decodeCursor(cursor.after);
  const before = after ? null : decodeCursor(cursor.before);
  let events: EventRow[];
  let newer: boolean;
  let older: boolean;
  if (before) {
    // Previous: the `limit` events just newer than the cursor, read oldest first, then turned around.
    const rows = await db.auditEvent.findMany({ where: { AND: [where, newerThan(before)] }, orderBy: [...OLDEST_FIRST], take: limit + 1, select });
    newer = rows.length > limit;
    older = true;
    events = rows.slice(0, limit).reverse();
  } else {
    const rows = await db.auditEvent.findMany({
      where: after ? { AND: [where, olderThan(after)] } : where,
      orderBy: [...NEWEST_FIRST],
      take: limit + 1,
      select,
    });
    newer = after !== null;
    older = rows.length > limit;
    events = rows.slice(0, limit);
  }
  const rows = await toRows(events, new ActorNames());
  return {
    rows,
    newer: newer && events.length > 0 ? encodeCursor(events[0]) : null,
    older: older && events.length > 0 ? encodeCursor(events[events.length - 1]) : null,
  };
}

const EXPORT_BATCH = 1000;

/**
 * Every event the filters match, newest first, in batches read one after
 * another by keyset: an export of any size holds one batch in memory. The
 * caller's role is checked before the first batch.
 */
export async function* auditEventBatches(projectId: string, filters: AuditFilters, batch = EXPORT_BATCH): AsyncGenerator<AuditRow[]> {
  await requirePermission(projectId, 'readAudit');
  const where = filterWhere(projectId, filters);
  const names = new ActorNames();
  let after: { at: Date; id: string } | null = null;
  for (;;) {
    const events: EventRow[] = await db.auditEvent.findMany({
      where: after ? { AND: [where, olderThan(after)] } : where,
      orderBy: [...NEWEST_FIRST],
      take: batch,
      select,
    });
    if (events.length === 0) return;
    yield await toRows(events, names);
    if (events.length < batch) return;
    const last = events[events.length - 1];
    after = { at: last.createdAt, id: last.id };
  }
}

/** The choices of the actor and environment filters: the project's members and tokens (revoked ones too), its environments. */
export async function auditFilterOptions(projectId: string): Promise<AuditFilterOptions> {
  await requirePermission(projectId, 'readAudit');
  const [members, tokens, environments] = await Promise.all([
    db.membership.findMany({ where: { projectId }, select: { user: { select: { id: true, name: true, email: true } } }, orderBy: { user: { name: 'asc' } } }),
    db.serviceToken.findMany({ where: { projectId }, select: { id: true, name: true }, orderBy: { name: 'asc' } }),
    db.environment.findMany({ where: { projectId }, select: { name: true }, orderBy: { position: 'asc' } }),
  ]);
  return {
    actors: [
      ...members.map(({ user }) => ({ value: `user:${user.id}`, label: `${user.name} (${user.email})` })),
      ...tokens.map((token) => ({ value: `token:${token.id}`, label: `token ${token.name}` })),
    ],
    environments: environments.map((e) => e.name),
  };
}

// ------------------------------------------------------------ the chain (auditcore)

/** What the audit page shows about the project's chain (ISO times: it crosses to the browser). */
export type ChainStatus = {
  events: number;
  lastVerified: { at: string; ok: boolean; checked: number; firstBad: ChainProblem | null } | null;
};

const toStatus = (events: number, v: Awaited<ReturnType<typeof lastVerification>>): ChainStatus => ({
  events,
  lastVerified: v ? { at: v.verifiedAt.toISOString(), ok: v.ok, checked: v.checked, firstBad: v.firstBad ?? null } : null,
});

async function projectIdOf(slug: string): Promise<string> {
  const project = await db.project.findUnique({ where: { slug }, select: { id: true } });
  // Same answer as for a project the caller is not a member of.
  // Told like a non-member: whether a slug exists is not revealed.
  if (!project) throw notFound(NOT_A_MEMBER);
  return project.id;
}

/** The chain's length and its last verification. OWNER/ADMIN. */
export async function auditChainStatus(projectId: string): Promise<ChainStatus> {
  await requirePermission(projectId, 'readAudit');
  const head = await db.auditChain.findUnique({ where: { id: chainOf(projectId) }, select: { seq: true } });
  return toStatus(Math.max(head?.seq ?? 0, 0), await lastVerification(chainOf(projectId)));
}

/** Recomputes the project's chain now and stores the result. OWNER/ADMIN. */
export async function verifyProjectAuditChain(slug: string): Promise<ChainStatus> {
  const projectId = await projectIdOf(slug);
  await requirePermission(projectId, 'readAudit');
  const result = await verifyChain(chainOf(projectId));
  const head = await db.auditChain.findUniqueOrThrow({ where: { id: chainOf(projectId) }, select: { seq: true } });
  return toStatus(head.seq, result);
}
