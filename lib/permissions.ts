// Pure: the one table of who may do what (DESIGN.md §5). Pages ask it what to
// show, the data layer (lib/session.ts requirePermission) what to allow, the
// machine API which token scope a route needs; the denial messages live here.
import type { Role } from '@/lib/roles';
import type { TokenScope } from '@/lib/tokens/schemas';

type Permission = {
  /** Project roles allowed (none: no person does this through the UI). */
  roles: readonly Role[];
  /** Token scopes allowed on the machine API (none: tokens cannot). */
  scopes: readonly TokenScope[];
  /** What a project member without the role is told. */
  denied: string;
};

const ANYONE: readonly Role[] = ['OWNER', 'ADMIN', 'MEMBER'];
const ADMINS: readonly Role[] = ['OWNER', 'ADMIN'];
const OWNERS: readonly Role[] = ['OWNER'];

export const PERMISSIONS = {
  /** See the project, its environments and deploys. Its message also answers anyone who is not a member. */
  viewProject: { roles: ANYONE, scopes: ['read', 'read-write'], denied: "You don't have access to this project." },
  /** Read the deployed values of the token's environment (the machine API only). */
  readDeployedSecrets: { roles: [], scopes: ['read', 'read-write'], denied: "You don't have permission to read secrets." },
  manageSecrets: { roles: ADMINS, scopes: ['read-write'], denied: "You don't have permission to manage secrets." },
  redeploy: { roles: ADMINS, scopes: ['read-write'], denied: "You don't have permission to redeploy." },
  manageDeployHooks: { roles: ADMINS, scopes: [], denied: "You don't have permission to change deploy hooks." },
  manageTokens: { roles: ADMINS, scopes: [], denied: "You don't have permission to manage service tokens." },
  readAudit: { roles: ADMINS, scopes: [], denied: 'Only project owners and admins can see the audit log.' },
  renameProject: { roles: ADMINS, scopes: [], denied: 'Only owners and admins can rename the project.' },
  manageMembers: { roles: OWNERS, scopes: [], denied: 'Only project owners can manage members.' },
  resetPasswords: { roles: OWNERS, scopes: [], denied: "Only project owners can reset a member's password." },
  requireSecondFactor: { roles: OWNERS, scopes: [], denied: 'Only project owners can require a second factor.' },
  deleteProject: { roles: OWNERS, scopes: [], denied: 'Only project owners can delete the project.' },
} as const satisfies Record<string, Permission>;

export type Verb = keyof typeof PERMISSIONS;

/** True when a member with `role` may do `verb`; false for a non-member (null). */
export function allows(role: Role | null | undefined, verb: Verb): boolean {
  return role != null && (PERMISSIONS[verb].roles as readonly Role[]).includes(role);
}

/** True when a token with `scope` may do `verb` on the machine API. */
export function scopeAllows(scope: TokenScope, verb: Verb): boolean {
  return (PERMISSIONS[verb].scopes as readonly TokenScope[]).includes(scope);
}

/** The sentence a member who may not do `verb` is told. */
export const deniedMessage = (verb: Verb): string => PERMISSIONS[verb].denied;

/** What anyone who is not a member of the project is told, whatever they tried. */
export const NOT_A_MEMBER = PERMISSIONS.viewProject.denied;
