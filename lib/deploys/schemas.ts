import { z } from 'zod';
import { MAX_KEY_LENGTH } from '@/lib/secrets/rules.mjs';
import { wellFormed } from '@/lib/well-formed.mjs';

// Pure and shared by the browser and the server: deployment states, the shape
// of a change summary, and the deploy hook settings form (DESIGN.md §7).

export const DEPLOY_STATUSES = ['QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED'] as const;
export type DeployStatus = (typeof DEPLOY_STATUSES)[number];

export const DEPLOY_STATUS_LABELS: Record<DeployStatus, string> = {
  QUEUED: 'Queued',
  RUNNING: 'Running',
  SUCCEEDED: 'Succeeded',
  FAILED: 'Failed',
};

export const isDeployStatus = (value: unknown): value is DeployStatus => typeof value === 'string' && (DEPLOY_STATUSES as readonly string[]).includes(value);

/** What changed in a secret between two deployments (never the value itself). */
export const CHANGED_FIELDS = ['value', 'description/type'] as const;
export type ChangedField = (typeof CHANGED_FIELDS)[number];

export const CHANGED_FIELD_LABELS: Record<ChangedField, string> = {
  value: 'Value changed',
  'description/type': 'Description or type changed',
};

/**
 * A change summary as stored in Deployment.changes: keys and field names only.
 * `rebuild` marks NEXT_PUBLIC_ keys whose deployed value appears, changes or
 * disappears (they are embedded in browser bundles at build time).
 */
export type ChangeSummary = {
  added: { key: string; rebuild: boolean }[];
  changed: { key: string; fields: ChangedField[]; rebuild: boolean }[];
  removed: { key: string; rebuild: boolean }[];
};

export const MESSAGES = {
  pendingChanges: 'Secrets have changed. Changes will take effect in the next successful deployment.',
  rebuildNeeded: 'Rebuild needed: this key is embedded in browser bundles',
  redeploying: 'Redeploying with secret changes',
  deployed: 'Deployment created successfully',
  hookUrlInvalid: 'Deploy hook URL must start with http:// or https://',
  hookUrlTooLong: 'Deploy hook URL must be at most 2048 characters',
  hookUrlPrivate: 'Deploy hooks cannot target private or internal addresses',
  hookUrlCredentials: 'Deploy hook URL must not contain a user name or password: sign notifications with a signing secret instead',
  signingSecretMissing: 'Choose a secret of this environment',
  unsignedWarning: 'Without a signing secret, notifications are sent unsigned: the receiver cannot tell them from forged ones.',
  hookSaved: 'Deploy hook saved',
  deploymentGone: 'This deployment no longer exists. Reload the page.',
  rollbackNotSucceeded: (n: number) => `Only a successful deployment can be rolled back to; #${n} did not succeed.`,
  rollbackIsLive: (n: number) => `Deployment #${n} is live already: there is nothing to roll back.`,
  rollbackIntegrity: (n: number) => `The secrets of deployment #${n} could not be decrypted (integrity check failed), so nothing was deployed.`,
} as const;

const MAX_URL_LENGTH = 2048;

function parseUrl(value: string): URL | null {
  try {
    return new URL(value);
  } catch {
    return null;
  }
}

function isHttpUrl(value: string): boolean {
  const url = parseUrl(value);
  return !!url && (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname.length > 0;
}

/** fetch refuses URLs with credentials, and the audit log would show them. */
const hasCredentials = (value: string) => {
  const url = parseUrl(value);
  return !!url && (url.username !== '' || url.password !== '');
};

/** Settings → General, per environment: an optional URL and the secret whose value signs notifications. */
export const deployHookSchema = z.object({
  /** Empty removes the hook. */
  url: z
    .string()
    .trim()
    .refine(...wellFormed('Deploy hook URL'))
    .max(MAX_URL_LENGTH, MESSAGES.hookUrlTooLong)
    .refine((url) => url === '' || isHttpUrl(url), { error: MESSAGES.hookUrlInvalid, abort: true })
    .refine((url) => !hasCredentials(url), MESSAGES.hookUrlCredentials)
    .default(''),
  /** A secret id of the same environment; empty sends notifications unsigned. */
  signingSecretId: z.string().trim().max(64).default(''),
});
/** Keys the "Signing secret" select lists at once; past that, the form offers a search. */
export const SIGNING_OPTIONS_LIMIT = 1000;

/** The signing secret search: part of a key. */
export const signingSearchSchema = z.object({ search: z.string().max(MAX_KEY_LENGTH, `Type at most ${MAX_KEY_LENGTH} characters`) });
export type DeployHookInput = z.input<typeof deployHookSchema>;
export type DeployHookSettings = z.output<typeof deployHookSchema>;

/** The scheme, host and port of a hook URL: what may be shown to members and written to the audit log (paths often carry tokens). */
export function hookOrigin(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return 'an invalid URL';
  }
}

/** A stored change summary, tolerant of old or malformed JSON. */
export function parseChanges(json: string): ChangeSummary {
  try {
    const raw = JSON.parse(json) as Partial<ChangeSummary>;
    const entries = <T>(list: unknown): T[] => (Array.isArray(list) ? (list as T[]) : []);
    return {
      added: entries<ChangeSummary['added'][number]>(raw.added),
      changed: entries<ChangeSummary['changed'][number]>(raw.changed),
      removed: entries<ChangeSummary['removed'][number]>(raw.removed),
    };
  } catch {
    return { added: [], changed: [], removed: [] };
  }
}

export function countChanges(changes: ChangeSummary): number {
  return changes.added.length + changes.changed.length + changes.removed.length;
}

export const needsRebuild = (changes: ChangeSummary) => [...changes.added, ...changes.changed, ...changes.removed].some((entry) => entry.rebuild);
