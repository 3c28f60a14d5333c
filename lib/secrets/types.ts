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
  /** The last machine read (lib/audit/reads.ts); see lastReadOf in lib/secrets/queries.ts. */
  lastRead: LastRead | null;
  /** Older than 90 days and not read by a machine in the last 90 days. */
  notReadIn90Days: boolean;
  /** `Same value as STRIPE_KEY in Staging` when another secret of the project has this value; never the value or its fingerprint. */
  sameValueAs: string | null;
};

/** When a secret was last read by a machine and by whom (`token ci-production`); `recent`: in the last 7 days. */
export type LastRead = { at: string; by: string; recent: boolean };

export type SecretPage = {
  rows: SecretRow[];
  /** Pass as `after` for the next page; null on the last page. */
  nextCursor: string | null;
};

export type SecretHistoryEntry = {
  id: string;
  /** secret.created, secret.value_changed, secret.updated, secret.restored, secret.deleted; `version` for a version without its own event */
  action: string;
  actor: string;
  /** ISO timestamp */
  at: string;
  /** Human summary without values, e.g. "Value changed (version 3)", "Type: API key → Token". */
  summary: string;
  /** The value version this change created (created, value changed, restored); null for other changes. */
  version: number | null;
  /** An earlier value version that still exists: `Restore this version` brings its value back as a new version. */
  restorable: boolean;
};
