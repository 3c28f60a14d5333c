import type { TokenScope } from '@/lib/tokens/schemas';

// DTOs the tokens page receives: never a token or its hash.

export type TokenStatus = 'active' | 'expired' | 'revoked';

export type TokenRow = {
  id: string;
  name: string;
  /** The first characters of the token (`kh_abc1234`), to tell tokens apart. */
  prefix: string;
  environment: string;
  scope: TokenScope;
  status: TokenStatus;
  createdBy: string | null;
  /** ISO timestamps; null = never / not yet. */
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
  lastUsedAt: string | null;
  lastUsedIp: string | null;
};

/** What creation returns: the only time the token itself leaves the server. */
export type CreatedToken = {
  id: string;
  name: string;
  prefix: string;
  token: string;
  /** The token's environment, and whether it has a successful deployment to read (else reads answer not_deployed). */
  environment: string;
  deployed: boolean;
};
