import type { SecretType } from '@/lib/secrets/schemas';

// DTOs the secrets pages receive: never a value, never ciphertext.

export type SecretRow = {
  id: string;
  key: string;
  description: string;
  type: SecretType;
  isPublic: boolean;
  /** The revision an edit starts from (optimistic concurrency). */
  revision: number;
  /** ISO timestamps. */
  createdAt: string;
  updatedAt: string;
  updatedBy: string | null;
  /** `Same value as STRIPE_KEY in Staging` when another secret of the project has this value; never the value or its fingerprint. */
  sameValueAs: string | null;
};

export type SecretPage = {
  rows: SecretRow[];
  /** Pass as `after` for the next page; null on the last page. */
  nextCursor: string | null;
};

export type SecretHistoryEntry = {
  id: string;
  /** secret.created, secret.value_changed, secret.updated, secret.deleted */
  action: string;
  actor: string;
  /** ISO timestamp */
  at: string;
  /** Human summary without values, e.g. "Value changed (version 3)", "Type: API key → Token". */
  summary: string;
};
