// The one result shape of every server action (pure: forms import it).
// Expected failures are returned, never thrown: `error` is a sentence a user
// can act on, `code` is what code decides on (never the sentence).
import type { ErrorCode } from '@/lib/errors';

/** An AppError's code; `unavailable`: the database is down; `failed`: anything unexpected (or the network). */
export type FailureCode = ErrorCode | 'unavailable' | 'failed';

export type ActionResult<T = void> = { ok: true; data: T } | { ok: false; error: string; code: FailureCode; fieldErrors?: Partial<Record<string, string>> };

export type ActionFailure = Extract<ActionResult<unknown>, { ok: false }>;

/**
 * Each action's generic failure sentence: the wrapper answers it for an
 * unexpected error, the submit hook shows it when the call itself fails.
 */
export const ACTION_FAILURES = {
  startSecondFactorSetup: 'Failed to start setting up the second factor. Please, try again.',
  confirmSecondFactor: 'Failed to turn on the second factor. Please, try again.',
  disableSecondFactor: 'Failed to turn off the second factor. Please, try again.',
  changePassword: 'Failed to change the password. Please, try again.',
  resetPassword: 'Failed to set the new password. Please, try again.',
  createFirstAccount: 'Failed to create the account. Please, try again.',
  signOutEverywhere: 'Failed to sign out everywhere. Please, try again.',
  previewRedeploy: 'Failed to load the changes. Please, try again.',
  redeploy: 'Failed to redeploy. Please, try again.',
  retryDeployment: 'Failed to retry the deployment. Please, try again.',
  rollBackDeployment: 'Failed to roll back. Please, try again.',
  updateDeployHook: 'Failed to save the deploy hook. Please, try again.',
  findSigningSecrets: 'Failed to search the keys. Please, try again.',
  createInvite: 'Failed to create the invite. Please, try again.',
  revokeInvite: 'Failed to revoke the invite. Please, try again.',
  changeRole: 'Failed to change the role. Please, try again.',
  removeMember: 'Failed to remove the member. Please, try again.',
  createPasswordResetLink: 'Failed to create the reset link. Please, try again.',
  acceptInvite: 'Failed to join the project. Please, try again.',
  createProject: 'Failed to create project. Please, try again.',
  renameProject: 'Failed to rename project. Please, try again.',
  setSecondFactorRequirement: 'Failed to save the second-factor setting. Please, try again.',
  createSecret: 'Failed to create secret. Please, try again.',
  updateSecret: 'Failed to update secret. Please, try again.',
  deleteSecret: 'Failed to delete secret. Please, try again.',
  secretHistory: 'Failed to load the change history. Please, try again.',
  restoreSecretVersion: 'Failed to restore this version. Please, try again.',
  generateSecretValue: 'Failed to generate a value. Please, try again.',
  previewImport: 'Failed to read the import. Please, try again.',
  applyImport: 'Failed to import secrets. Please, try again.',
  createToken: 'Failed to create the token. Please, try again.',
  revokeToken: 'Failed to revoke the token. Please, try again.',
  verifyAuditChain: 'Verifying the audit chain failed. Please, try again.',
} as const;

export type ActionName = keyof typeof ACTION_FAILURES;

export const ok = <T>(data: T): ActionResult<T> => ({ ok: true, data });

export const fail = (error: string, code: FailureCode, fieldErrors?: Partial<Record<string, string>>): ActionFailure =>
  fieldErrors ? { ok: false, error, code, fieldErrors } : { ok: false, error, code };
