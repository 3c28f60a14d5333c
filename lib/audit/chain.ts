// No `server-only` marker: audit events are appended from the lean /api/v1
// handler too (see lib/db.ts), and `npm run audit -- verify` runs this outside Next.
//
// Tamper evidence for audit events. Each project's events form one chain (the
// events without a project form another, id "-"): event n stores seq n, the
// hash of event n - 1 (prevHash) and its own hash, SHA-256 over a canonical
// encoding of every field and prevHash. The chain's head row (AuditChain) is
// advanced by the append, in the transaction of the change: that UPDATE is a
// row lock on PostgreSQL and the write lock on SQLite, so two instances
// appending to one chain take turns; UNIQUE(projectId, seq) is the backstop.
import { createHash, randomUUID } from 'node:crypto';
import { db, type Tx } from '@/lib/db';

/** The chain of the events without a project. */
export const GLOBAL_CHAIN = '-';

export const chainOf = (projectId: string | null): string => projectId ?? GLOBAL_CHAIN;

/** An audit event's stored fields (what the hash covers). */
export type ChainedFields = {
  id: string;
  projectId: string | null;
  seq: number;
  actorId: string | null;
  actorTokenId: string | null;
  actorLabel: string;
  action: string;
  targetType: string | null;
  targetId: string | null;
  targetLabel: string | null;
  environment: string | null;
  details: string;
  ip: string | null;
  createdAt: Date;
};

/** SHA-256 (hex) over the canonical encoding: a JSON array of the fields in a fixed order, then the previous hash. */
export function eventHash(e: ChainedFields, prevHash: string | null): string {
  const canonical = JSON.stringify([
    'keyhold-audit-1',
    e.id,
    e.projectId,
    e.seq,
    e.actorId,
    e.actorTokenId,
    e.actorLabel,
    e.action,
    e.targetType,
    e.targetId,
    e.targetLabel,
    e.environment,
    e.details,
    e.ip,
    e.createdAt.toISOString(),
    prevHash,
  ]);
  return createHash('sha256').update(canonical).digest('hex');
}

type Head = { seq: number; hash: string | null };

/** Advances the chain's head by one (taking its lock) and returns the new seq and the hash before it. */
async function advanceHead(tx: Tx, chain: string): Promise<Head> {
  const rows = await tx.$queryRaw<Head[]>`UPDATE "AuditChain" SET "seq" = "seq" + 1 WHERE "id" = ${chain} AND "seq" >= 0 RETURNING "seq", "hash"`;
  if (rows.length > 0) return { seq: Number(rows[0].seq), hash: rows[0].hash };
  // A new chain, or one with events from before chaining (seq -1): seal those first.
  await sealChainIn(tx, chain);
  return advanceHead(tx, chain);
}

/** Inserts one event as the next link of its chain (inside the caller's transaction). */
export async function appendEvent(tx: Tx, row: Omit<ChainedFields, 'id' | 'seq' | 'createdAt'>): Promise<void> {
  const head = await advanceHead(tx, chainOf(row.projectId));
  const event: ChainedFields = { ...row, id: randomUUID(), seq: head.seq, createdAt: new Date() };
  const hash = eventHash(event, head.hash);
  await tx.auditEvent.create({ data: { ...event, prevHash: head.hash, hash } });
  await tx.auditChain.update({ where: { id: chainOf(row.projectId) }, data: { hash } });
}

const chainWhere = (chain: string) => ({ projectId: chain === GLOBAL_CHAIN ? null : chain });

/**
 * Events written before chaining existed (seq null) are numbered and hashed,
 * oldest first, the first time their chain is used (appended to or verified).
 * The migration marked those chains with seq -1; a chain that is not marked
 * never accepts an unchained event: verification reports it.
 */
async function sealChainIn(tx: Tx, chain: string): Promise<void> {
  await tx.$executeRaw`INSERT INTO "AuditChain" ("id", "seq") VALUES (${chain}, 0) ON CONFLICT ("id") DO NOTHING`;
  // Takes the head's lock.
  const [head] = await tx.$queryRaw<Head[]>`UPDATE "AuditChain" SET "seq" = "seq" WHERE "id" = ${chain} RETURNING "seq", "hash"`;
  if (Number(head.seq) !== -1) return;
  const legacy = await tx.auditEvent.findMany({ where: { ...chainWhere(chain), seq: null }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
  let prevHash: string | null = null;
  let seq = 0;
  for (const event of legacy) {
    seq++;
    const hash = eventHash({ ...event, seq }, prevHash);
    await tx.auditEvent.update({ where: { id: event.id }, data: { seq, prevHash, hash } });
    prevHash = hash;
  }
  await tx.auditChain.update({ where: { id: chain }, data: { seq, hash: prevHash } });
}

/** Seals a chain marked by the migration now (verification does this before reading). */
export async function sealChain(chain: string): Promise<void> {
  await db.$transaction((tx) => sealChainIn(tx, chain), { maxWait: 10_000, timeout: 120_000 });
}
