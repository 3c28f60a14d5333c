import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { allows, deniedMessage, PERMISSIONS, scopeAllows, type Verb } from '@/lib/permissions';
import { ROLES, type Role } from '@/lib/roles';

// DESIGN.md §5, as the table must say it: verb → who may.
const EXPECTED: Record<Verb, { roles: Role[]; scopes: string[] }> = {
  viewProject: { roles: ['OWNER', 'ADMIN', 'MEMBER'], scopes: ['read', 'read-write'] },
  readDeployedSecrets: { roles: [], scopes: ['read', 'read-write'] },
  manageSecrets: { roles: ['OWNER', 'ADMIN'], scopes: ['read-write'] },
  redeploy: { roles: ['OWNER', 'ADMIN'], scopes: ['read-write'] },
  manageDeployHooks: { roles: ['OWNER', 'ADMIN'], scopes: [] },
  manageTokens: { roles: ['OWNER', 'ADMIN'], scopes: [] },
  readAudit: { roles: ['OWNER', 'ADMIN'], scopes: [] },
  renameProject: { roles: ['OWNER', 'ADMIN'], scopes: [] },
  manageMembers: { roles: ['OWNER'], scopes: [] },
  resetPasswords: { roles: ['OWNER'], scopes: [] },
  requireSecondFactor: { roles: ['OWNER'], scopes: [] },
  deleteProject: { roles: ['OWNER'], scopes: [] },
};

const ROOT = path.resolve(__dirname, '..');
function sources(dir: string): string[] {
  return fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const rel = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'generated' ? [] : sources(rel);
    return /\.(ts|tsx|mjs)$/.test(entry.name) && !entry.name.endsWith('.test.ts') ? [rel] : [];
  });
}
const SOURCE_FILES = ['app', 'components', 'lib', 'cli', 'client'].filter((d) => fs.existsSync(path.join(ROOT, d))).flatMap(sources);
const read = (file: string) => fs.readFileSync(path.join(ROOT, file), 'utf8');

describe('the permission table', () => {
  it('says what DESIGN.md §5 says, verb by verb', () => {
    const table = Object.fromEntries(Object.entries(PERMISSIONS).map(([verb, p]) => [verb, { roles: [...p.roles], scopes: [...p.scopes] }]));
    expect(table).toEqual(EXPECTED);
  });

  it('allows a role exactly the verbs listed for it, and nothing to a non-member', () => {
    for (const verb of Object.keys(PERMISSIONS) as Verb[]) {
      for (const role of ROLES) expect(allows(role, verb), `${role} ${verb}`).toBe(EXPECTED[verb].roles.includes(role));
      expect(allows(null, verb)).toBe(false);
    }
    expect(allows('ADMIN', 'readAudit')).toBe(true);
    expect(allows('MEMBER', 'readAudit')).toBe(false);
  });

  it('lets a read token only read, and a read-write token also manage secrets', () => {
    expect(scopeAllows('read', 'readDeployedSecrets')).toBe(true);
    expect(scopeAllows('read', 'manageSecrets')).toBe(false);
    expect(scopeAllows('read-write', 'manageSecrets')).toBe(true);
    expect(scopeAllows('read-write', 'manageTokens')).toBe(false);
  });

  it('has one denial sentence per verb, spelled nowhere else in the code', () => {
    const messages = (Object.keys(PERMISSIONS) as Verb[]).map(deniedMessage);
    expect(new Set(messages).size).toBe(messages.length);
    for (const file of SOURCE_FILES.filter((f) => f !== path.join('lib', 'permissions.ts'))) {
      const text = read(file);
      for (const message of messages) expect(text.includes(message), `${file} spells "${message}"`).toBe(false);
    }
  });

  it('is the only role check: no other module ranks roles or calls the old helpers', () => {
    for (const file of SOURCE_FILES) {
      expect(/requireProjectRole|hasRole\(|\bcan\.\w+\(/.test(read(file)), file).toBe(false);
    }
  });
});

describe('server actions and forms go through the one wrapper, hook and refresh', () => {
  const actionFiles = SOURCE_FILES.filter((f) => /^lib\/[^/]+\/actions\.ts$/.test(f.split(path.sep).join('/')));

  it('every exported server action returns runAction(...)', () => {
    expect(actionFiles.length).toBeGreaterThan(5);
    for (const file of actionFiles) {
      const text = read(file);
      const actions = [...text.matchAll(/export async function (\w+)\([^]*?\{\n([^]*?)\n\}/g)];
      expect(actions.length, file).toBeGreaterThan(0);
      for (const [, name, body] of actions) expect(body.trimStart().startsWith('return runAction('), `${file} ${name}`).toBe(true);
    }
  });

  it('nothing revalidates paths, and only the submit hook refreshes the router after a change', () => {
    const allowed = [
      path.join('components', 'use-submit.ts'),
      path.join('components', 'deploys', 'deployments-table.tsx'), // polling, not after a change
      path.join('components', 'auth', 'login-form.tsx'), // signing in is next-auth's request, not a server action
    ];
    for (const file of SOURCE_FILES) {
      const text = read(file);
      expect(text.includes('revalidatePath'), file).toBe(false);
      if (!allowed.includes(file)) expect(text.includes('router.refresh('), file).toBe(false);
    }
  });

  it('no form catches an action call by itself', () => {
    for (const file of SOURCE_FILES.filter((f) => f.startsWith('components') && f.endsWith('.tsx'))) {
      // Actions called outside useSubmit are the two loaders in effects (history, redeploy preview).
      const direct = [...read(file).matchAll(/await (\w+Action)\(/g)].map((m) => m[1]);
      expect(direct, file).toEqual([]);
    }
  });
});
