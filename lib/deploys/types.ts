import type { ChangeSummary, DeployStatus } from '@/lib/deploys/schemas';

// DTOs the deploy pages and dialogs receive: keys, numbers, states. Never a
// value, never the snapshot, never a hook URL's path for members.

export type DeploymentRow = {
  id: string;
  number: number;
  environmentId: string;
  environment: string;
  status: DeployStatus;
  /** Name of who triggered it (their email when the account is gone). */
  triggeredBy: string;
  /** ISO timestamps. createdAt is the moment the snapshot was taken. */
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  /** Of the last delivery attempt, when it finished. */
  durationMs: number | null;
  changes: ChangeSummary;
  secretCount: number;
  /** Why it failed: the hook's status code or a network error, never a value or a response body. */
  error: string | null;
  hookStatus: number | null;
  attempts: number;
  /** The deployment consumers read now (the environment's latest SUCCEEDED one). */
  live: boolean;
  /** QUEUED or RUNNING for longer than a delivery can take: the server stopped while delivering. */
  stalled: boolean;
  /** FAILED (or stalled) and newer than the live deployment: Retry may make it live. */
  retryable: boolean;
  /** FAILED (or stalled) but a newer deployment already succeeded: retrying it could never go live. */
  superseded: boolean;
  /** A rollback: the number of the deployment whose secrets it carries. */
  rollbackOf: number | null;
  /** SUCCEEDED and older than the live deployment: `Roll back to #n` makes a new deployment with its secrets. */
  canRollBack: boolean;
};

export type DeploymentPage = { rows: DeploymentRow[]; nextCursor: string | null };

export type HookSummary = { origin: string; signed: boolean };

export type RedeployPreview = {
  environment: { id: string; name: string };
  /** The last successful deployment the diff is against; null before the first. */
  base: { number: number; createdAt: string } | null;
  changes: ChangeSummary;
  /** Secrets the new deployment will contain. */
  secretCount: number;
  hook: HookSummary | null;
};

export type DeliveryResult = {
  id: string;
  number: number;
  environment: string;
  status: 'SUCCEEDED' | 'FAILED';
  error: string | null;
};

export type EnvironmentDeployState = {
  id: string;
  name: string;
  secretCount: number;
  /** What consumers read now. */
  live: { number: number; createdAt: string } | null;
  /** The working set changed after the live snapshot (or there is none yet). */
  pending: boolean;
  /** The most recent deployment, whatever its status. */
  last: { number: number; status: DeployStatus; error: string | null; createdAt: string } | null;
  hook: HookSummary | null;
};

export type KeyMatrix = {
  environments: { id: string; name: string }[];
  /** `present[i]` is true when environments[i] has the key. Keys missing somewhere come first. */
  rows: { key: string; present: boolean[] }[];
  totalKeys: number;
  /** Keys present in some environment but not in all. */
  incompleteKeys: number;
};

export type ProjectDeployOverview = { environments: EnvironmentDeployState[]; matrix: KeyMatrix };

export type HookSettingsView = {
  environment: { id: string; name: string };
  /** The full URL, for owners and admins only (paths often carry a token); null when not configured or hidden. */
  url: string | null;
  /** Scheme, host and port; what members see. */
  origin: string | null;
  signingSecret: { id: string; key: string } | null;
  /** Keys of this environment's secrets to choose the signing secret from (admins only): the first SIGNING_OPTIONS_LIMIT, and the chosen one. */
  options: { id: string; key: string }[];
  /** The environment has more keys than `options` lists: the form offers a search. */
  moreOptions: boolean;
};

/** Keys to sign a hook with; `more`: more keys matched than are listed. */
export type SigningOptions = { options: { id: string; key: string }[]; more: boolean };
