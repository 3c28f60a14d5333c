// Pure: who may do what (DESIGN.md §5). The UI imports it to hide buttons;
// the data layer imports it to decide.

export const ROLES = ['OWNER', 'ADMIN', 'MEMBER'] as const;
export type Role = (typeof ROLES)[number];

const RANK: Record<Role, number> = { MEMBER: 1, ADMIN: 2, OWNER: 3 };

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** True when `role` is at least `needed`. */
export function hasRole(role: Role, needed: Role): boolean {
  return RANK[role] >= RANK[needed];
}

export const can = {
  viewProject: (role: Role) => hasRole(role, 'MEMBER'),
  manageSecrets: (role: Role) => hasRole(role, 'ADMIN'),
  manageTokens: (role: Role) => hasRole(role, 'ADMIN'),
  readAudit: (role: Role) => hasRole(role, 'ADMIN'),
  manageMembers: (role: Role) => hasRole(role, 'OWNER'),
  renameProject: (role: Role) => hasRole(role, 'ADMIN'),
  deleteProject: (role: Role) => hasRole(role, 'OWNER'),
  requireSecondFactor: (role: Role) => hasRole(role, 'OWNER'),
  resetPasswords: (role: Role) => hasRole(role, 'OWNER'),
};

export const ROLE_LABELS: Record<Role, string> = { OWNER: 'Owner', ADMIN: 'Admin', MEMBER: 'Member' };
