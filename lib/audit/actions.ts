// PROVISIONAL (auditui): replaced by the auditcore branch's list of action names with labels on merge.
export const AUDIT_ACTIONS: Record<string, string> = {
  'secret.created': 'Secret created',
  'secret.value_changed': 'Secret value changed',
  'secret.updated': 'Secret details changed',
  'secret.deleted': 'Secret deleted',
  'secret.restored': 'Secret version restored',
  'secrets.read': 'Secrets read',
  'deploy.created': 'Deployment created',
  'deploy.succeeded': 'Deployment succeeded',
  'deploy.failed': 'Deployment failed',
  'deploy.rolled_back': 'Deployment rolled back',
  'deploy_hook.updated': 'Deploy hook changed',
  'token.created': 'Token created',
  'token.revoked': 'Token revoked',
  'token.used_from_new_address': 'Token used from a new address',
};

export const actionLabel = (action: string) => AUDIT_ACTIONS[action] ?? action;
