import 'server-only';
import { db } from '@/lib/db';
import { requirePermission } from '@/lib/session';
import { pendingTokenUse } from '@/lib/tokens/registry';
import type { TokenScope } from '@/lib/tokens/schemas';
import type { TokenRow, TokenStatus } from '@/lib/tokens/types';

/** A project's service tokens, newest first (revoked and expired ones too, marked). OWNER/ADMIN only. */
export async function listTokens(projectId: string): Promise<TokenRow[]> {
  await requirePermission(projectId, 'manageTokens');
  const rows = await db.serviceToken.findMany({
    where: { projectId },
    orderBy: { createdAt: 'desc' },
    select: {
      id: true,
      name: true,
      prefix: true,
      scope: true,
      createdAt: true,
      createdById: true,
      expiresAt: true,
      revokedAt: true,
      lastUsedAt: true,
      lastUsedIp: true,
      environment: { select: { name: true } },
    },
  });
  const creators = await db.user.findMany({
    where: { id: { in: [...new Set(rows.map((r) => r.createdById).filter((id): id is string => !!id))] } },
    select: { id: true, name: true },
  });
  const names = new Map(creators.map((u) => [u.id, u.name]));
  const now = Date.now();
  return rows.map((row): TokenRow => {
    // "Last used" is written in batches; this process may know a later use.
    const pending = pendingTokenUse(row.id);
    const lastUsed = pending && (!row.lastUsedAt || pending.at > row.lastUsedAt.getTime()) ? pending : null;
    const status: TokenStatus = row.revokedAt ? 'revoked' : row.expiresAt && row.expiresAt.getTime() <= now ? 'expired' : 'active';
    return {
      id: row.id,
      name: row.name,
      prefix: row.prefix,
      environment: row.environment.name,
      scope: row.scope as TokenScope,
      status,
      createdBy: (row.createdById && names.get(row.createdById)) ?? null,
      createdAt: row.createdAt.toISOString(),
      expiresAt: row.expiresAt?.toISOString() ?? null,
      revokedAt: row.revokedAt?.toISOString() ?? null,
      lastUsedAt: lastUsed ? new Date(lastUsed.at).toISOString() : (row.lastUsedAt?.toISOString() ?? null),
      lastUsedIp: lastUsed ? lastUsed.ip : row.lastUsedIp,
    };
  });
}
