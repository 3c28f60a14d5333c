// Every audit action Keyhold records (AuditEvent.action), with the label the audit log shows (and
// filters by). Plain data: the page, the data layer and the tests import it.

const LABELS = {
  'secret.created': 'Secret created',
  'secret.value_changed': 'Secret value changed',
  'secret.updated': 'Secret key, description or type changed',
  'secret.deleted': 'Secret deleted',
  'secret.restored': 'Secret version restored',
  'secrets.read': 'Secrets read by a machine',
  'secrets.imported': 'Secrets imported',
  'deploy.created': 'Deployment created',
  'deploy.succeeded': 'Deployment succeeded',
  'deploy.failed': 'Deployment failed',
  'deploy.rolled_back': 'Deployment rolled back',
  'deploy_hook.updated': 'Deploy hook settings changed',
  'token.created': 'Token created',
  'token.revoked': 'Token revoked',
  'token.used_from_new_address': 'Token used from a new address',
  'member.invited': 'Member invited',
  'member.invite_revoked': 'Invitation revoked',
  'member.joined': 'Member joined',
  'member.role_changed': 'Member role changed',
  'member.removed': 'Member removed',
  'member.password_reset_link_created': 'Password reset link created',
  'user.signed_out_everywhere': 'Signed out everywhere',
  'project.created': 'Project created',
  'project.renamed': 'Project renamed',
  'project.second_factor_required': 'Second factor requirement changed',
  'key.project_rotated': 'Project key rotated',
  'key.project_reencrypted': 'Secrets re-encrypted under the new project key',
  'key.retired_destroyed': 'Retired project keys destroyed',
  'key.master_rewrapped': 'Project key re-wrapped under a new master key',
  'account.password_changed': 'Password changed',
  'account.password_reset': 'Password reset',
  'account.second_factor_enabled': 'Second factor turned on',
  'account.second_factor_disabled': 'Second factor turned off',
  'account.recovery_code_used': 'Recovery code used',
} as const;

export type AuditAction = keyof typeof LABELS;

/** Every action with its label, in the order a filter lists them. */
export const AUDIT_ACTIONS: readonly { action: AuditAction; label: string }[] = Object.entries(LABELS).map(([action, label]) => ({
  action: action as AuditAction,
  label,
}));

export const isAuditAction = (value: string): value is AuditAction => Object.hasOwn(LABELS, value);

/** The label of an action (an unknown one, e.g. from a newer version, as it is stored). */
export const auditActionLabel = (action: string): string => (isAuditAction(action) ? LABELS[action] : action);
