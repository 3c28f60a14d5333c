import 'server-only';
import { recordAudit } from '@/lib/audit/mutations';
import { db } from '@/lib/db';
import { latestSucceeded } from '@/lib/deploys/snapshot';
import { invalid, notFound } from '@/lib/errors';
import { requirePermission } from '@/lib/session';
import { forgetToken, generateToken, hashToken, tokenPrefix } from '@/lib/tokens/registry';
import { TOKEN_MESSAGES, tokenExpiresAt, type CreateTokenData } from '@/lib/tokens/schemas';
import type { CreatedToken } from '@/lib/tokens/types';

/**
 * Creates a service token for one environment of the project. Returns the
 * token itself: the only time it exists outside the caller's hands, since
 * only its SHA-256 is stored. OWNER/ADMIN only.
 */
export async function createToken(projectId: string, input: CreateTokenData): Promise<CreatedToken> {
  const actor = await requirePermission(projectId, 'manageTokens');
  const environment = await db.environment.findFirst({ where: { id: input.environmentId, projectId }, select: { id: true, name: true } });
  if (!environment) throw invalid(TOKEN_MESSAGES.environmentRequired, { environmentId: TOKEN_MESSAGES.environmentRequired });
  const token = generateToken();
  const prefix = tokenPrefix(token);
  const expiresAt = tokenExpiresAt(input);
  const id = await db.$transaction(async (tx) => {
    const row = await tx.serviceToken.create({
      data: {
        projectId,
        environmentId: environment.id,
        name: input.name,
        scope: input.scope,
        prefix,
        tokenHash: hashToken(token),
        createdById: actor.userId,
        expiresAt,
      },
      select: { id: true },
    });
    await recordAudit(tx, actor, {
      projectId,
      action: 'token.created',
      targetType: 'token',
      targetId: row.id,
      targetLabel: input.name,
      environment: environment.name,
      details: { prefix, scope: input.scope, expiresAt: expiresAt?.toISOString() ?? 'never' },
    });
    return row.id;
  });
  const live = await latestSucceeded(environment.id, { id: true });
  return { id, name: input.name, prefix, token, environment: environment.name, deployed: live !== null };
}

/** Revokes a token at once: the database row and every instance's API cache. OWNER/ADMIN only. */
export async function revokeToken(projectId: string, tokenId: string): Promise<void> {
  const actor = await requirePermission(projectId, 'manageTokens');
  let tokenHash: string | null = null;
  try {
    await db.$transaction(async (tx) => {
      const token = await tx.serviceToken.findFirst({
        where: { id: tokenId, projectId },
        select: { name: true, prefix: true, tokenHash: true, revokedAt: true, environment: { select: { name: true } } },
      });
      if (!token) throw notFound('This token no longer exists. Reload the page.');
      tokenHash = token.tokenHash;
      const { count } = await tx.serviceToken.updateMany({ where: { id: tokenId, projectId, revokedAt: null }, data: { revokedAt: new Date() } });
      if (count === 0) throw invalid(TOKEN_MESSAGES.alreadyRevoked);
      await recordAudit(tx, actor, {
        projectId,
        action: 'token.revoked',
        targetType: 'token',
        targetId: tokenId,
        targetLabel: token.name,
        environment: token.environment.name,
        details: { prefix: token.prefix },
      });
    });
  } finally {
    // Also after a failure: a cached copy must never outlive a revoke that may have committed (on any instance).
    if (tokenHash) forgetToken(tokenHash, tokenId);
  }
}
