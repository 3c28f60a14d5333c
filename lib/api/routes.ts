import type { Verb } from '@/lib/permissions';

// Every route of the machine API: the handler dispatches from this table and
// the OpenAPI test checks it against the document, both ways. HEAD is
// accepted wherever GET is.

type ApiMethod = 'GET' | 'POST' | 'PATCH' | 'DELETE';

type RouteName =
  | 'openapi'
  | 'listSecrets'
  | 'createSecret'
  | 'listSecretInfo'
  | 'getSecret'
  | 'updateSecret'
  | 'deleteSecret'
  | 'createDeployment'
  | 'getDeployment'
  | 'previewImport'
  | 'applyImport';

export type RouteDef = {
  name: RouteName;
  method: ApiMethod;
  /** OpenAPI path template. */
  path: string;
  /** What the token must be allowed (lib/permissions.ts); null: no token needed. */
  verb: Verb | null;
};

export const API_ROUTES: readonly RouteDef[] = [
  { name: 'openapi', method: 'GET', path: '/api/v1/openapi.json', verb: null },
  { name: 'listSecrets', method: 'GET', path: '/api/v1/secrets', verb: 'readDeployedSecrets' },
  { name: 'createSecret', method: 'POST', path: '/api/v1/secrets', verb: 'manageSecrets' },
  // Before /secrets/{secret}: a secret named `info` cannot be read by name over HTTP (use GET /api/v1/secrets).
  { name: 'listSecretInfo', method: 'GET', path: '/api/v1/secrets/info', verb: 'manageSecrets' },
  { name: 'getSecret', method: 'GET', path: '/api/v1/secrets/{secret}', verb: 'readDeployedSecrets' },
  { name: 'updateSecret', method: 'PATCH', path: '/api/v1/secrets/{secret}', verb: 'manageSecrets' },
  { name: 'deleteSecret', method: 'DELETE', path: '/api/v1/secrets/{secret}', verb: 'manageSecrets' },
  { name: 'createDeployment', method: 'POST', path: '/api/v1/deployments', verb: 'redeploy' },
  { name: 'getDeployment', method: 'GET', path: '/api/v1/deployments/{number}', verb: 'viewProject' },
  { name: 'previewImport', method: 'POST', path: '/api/v1/imports/preview', verb: 'manageSecrets' },
  { name: 'applyImport', method: 'POST', path: '/api/v1/imports/apply', verb: 'manageSecrets' },
];

const API_PREFIX = '/api/v1';

export type Matched = { routes: RouteDef[]; param: string | null };

const at = (path: string) => API_ROUTES.filter((r) => r.path === path);
const STATIC = new Map<string, RouteDef[]>([
  ['/openapi.json', at(`${API_PREFIX}/openapi.json`)],
  ['/secrets', at(`${API_PREFIX}/secrets`)],
  ['/secrets/info', at(`${API_PREFIX}/secrets/info`)],
  ['/deployments', at(`${API_PREFIX}/deployments`)],
  ['/imports/preview', at(`${API_PREFIX}/imports/preview`)],
  ['/imports/apply', at(`${API_PREFIX}/imports/apply`)],
]);
const BY_SECRET = at(`${API_PREFIX}/secrets/{secret}`);
const BY_NUMBER = at(`${API_PREFIX}/deployments/{number}`);

/** The routes at a path (any method), with the decoded {secret} or {number} segment; null when no route has this path. */
export function matchPath(path: string): Matched | null {
  if (!path.startsWith(`${API_PREFIX}/`)) return null;
  const rest = path.slice(API_PREFIX.length);
  const fixed = STATIC.get(rest);
  if (fixed) return { routes: fixed, param: null };
  if (rest.startsWith('/secrets/')) {
    const raw = rest.slice('/secrets/'.length);
    if (raw === '' || raw.includes('/')) return null;
    let param: string;
    try {
      param = decodeURIComponent(raw);
    } catch {
      return null;
    }
    return { routes: BY_SECRET, param };
  }
  if (rest.startsWith('/deployments/')) {
    const raw = rest.slice('/deployments/'.length);
    // Checked by the handler (deployment_not_found for anything but a positive number).
    if (raw === '' || raw.includes('/')) return null;
    return { routes: BY_NUMBER, param: raw };
  }
  return null;
}
