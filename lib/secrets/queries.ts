import 'server-only';
import { db } from '@/lib/db';
import { notFound } from '@/lib/errors';
import { environmentLabel } from '@/lib/projects/schemas';
import { isStaleFingerprint, refreshFingerprints } from '@/lib/secrets/fingerprint';
import { isPublicKey, SECRET_TYPE_LABELS, type SecretType } from '@/lib/secrets/schemas';
import type { SecretHistoryEntry, SecretPage, SecretRow } from '@/lib/secrets/types';
import { requirePermission } from '@/lib/session';

export const PAGE_SIZE = 50;

/**
 * One page of an environment's secrets, ordered by key, searched on the
 * server (key and description). Keyset paging: `after` is the last key of
 * the previous page, so page N costs what page 1 costs.
 */
export async function listSecrets(
  projectId: string,
  environmentId: string,
  { q = '', after = null, limit = PAGE_SIZE }: { q?: string; after?: string | null; limit?: number } = {},
): Promise<SecretPage> {
  await requirePermission(projectId, 'manageSecrets');
  const search = q.trim();
  const rows = await db.secret.findMany({
    where: {
      projectId,
      environmentId,
      ...(after ? { key: { gt: after } } : {}),
      ...(search
        ? { OR: [{ keyFolded: { contains: search.toLowerCase() } }, { description: { contains: search } }] }
        : {}),
    },
    orderBy: { key: 'asc' },
    take: limit + 1,
    select: {
      id: true,
      key: true,
      description: true,
      type: true,
      revision: true,
      createdAt: true,
      updatedAt: true,
      updatedById: true,
      valueFingerprint: true,
    },
  });
  const page = rows.slice(0, limit);
  const sameValueAs = await sameValueLabels(projectId, page);
  const editors = await db.user.findMany({
    where: { id: { in: [...new Set(page.map((r) => r.updatedById).filter((id): id is string => !!id))] } },
    select: { id: true, name: true },
  });
  const names = new Map(editors.map((u) => [u.id, u.name]));
  return {
    rows: page.map(
      (row): SecretRow => ({
        id: row.id,
        key: row.key,
        description: row.description,
        type: row.type as SecretType,
        isPublic: isPublicKey(row.key),
        revision: row.revision,
        createdAt: row.createdAt.toISOString(),
        updatedAt: row.updatedAt.toISOString(),
        updatedBy: (row.updatedById && names.get(row.updatedById)) ?? null,
        sameValueAs: sameValueAs.get(row.id) ?? null,
      }),
    ),
    nextCursor: rows.length > limit ? page[page.length - 1].key : null,
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
  const matches = await db.secret.findMany({
    where: { projectId, valueFingerprint: { in: wanted } },
    select: { id: true, key: true, valueFingerprint: true, environment: { select: { name: true, position: true } } },
    orderBy: [{ environment: { position: 'asc' } }, { key: 'asc' }],
  });
  const labels = new Map<string, string>();
  for (const [id, fingerprint] of fingerprints) {
    if (fingerprint === null) continue;
    const others = matches.filter((m) => m.valueFingerprint === fingerprint && m.id !== id);
    if (others.length === 0) continue;
    const [first] = others;
    const more = others.length > 1 ? ` and ${others.length - 1} more` : '';
    labels.set(id, `Same value as ${first.key} in ${environmentLabel(first.environment.name)}${more}`);
  }
  return labels;
}

type AuditDetails = { changed?: string[]; version?: number; type?: string };

function summarize(action: string, details: AuditDetails): string {
  switch (action) {
    case 'secret.created':
      return `Created (version ${details.version ?? 1})`;
    case 'secret.deleted':
      return 'Deleted';
    default: {
      const parts = (details.changed ?? []).map((field) =>
        field === 'value' ? `Value changed (version ${details.version})` : field === 'type' && details.type ? `Type: ${details.type}` : `${field[0].toUpperCase()}${field.slice(1)} changed`,
      );
      return parts.join(' · ') || 'Updated';
    }
  }
}

/** What happened to one secret, newest first: who, when, which fields. Never values. */
export async function secretHistory(projectId: string, secretId: string): Promise<SecretHistoryEntry[]> {
  await requirePermission(projectId, 'manageSecrets');
  const exists = await db.secret.count({ where: { id: secretId, projectId } });
  if (!exists) throw notFound('This secret no longer exists. Reload the page.');
  const events = await db.auditEvent.findMany({
    where: { projectId, targetType: 'secret', targetId: secretId },
    orderBy: { createdAt: 'desc' },
    take: 100,
    select: { id: true, action: true, actorLabel: true, createdAt: true, details: true },
  });
  return events.map((event) => ({
    id: event.id,
    action: event.action,
    actor: event.actorLabel,
    at: event.createdAt.toISOString(),
    summary: summarize(event.action, JSON.parse(event.details) as AuditDetails),
  }));
}

export const typeLabel = (type: string) => SECRET_TYPE_LABELS[type as SecretType] ?? type;
