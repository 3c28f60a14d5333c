import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_MESSAGES } from '@/lib/api/errors';
import { db } from '@/lib/db';
import { redeploy } from '@/lib/deploys/mutations';
import { createSecret } from '@/lib/secrets/mutations';
import { createToken, revokeToken } from '@/lib/tokens/mutations';
import { createTokenSchema } from '@/lib/tokens/schemas';
import { apiError, callApi, errorOf, type ApiServer } from '../support/api-server';
import { startApiTeam, type ApiTeam } from '../support/api-team';
import { secretRows } from '../support/db-state';
import { environmentId, type Team } from '../support/fixtures';
import { signInAs } from '../support/session';

// Token misuse on every write route of /api/v1 (issue 7): expired, revoked,
// read-only and wrong-environment tokens, and tokens of one project with the
// secret ids of another. Each answer is exact, and no secret, version,
// environment or deployment row changes.

let api: ApiTeam;
let server: ApiServer;
let team: Team;
const tokens = {} as Record<'write' | 'read' | 'expired' | 'revoked' | 'stagingWrite' | 'otherWrite', string>;
let productionSecretId: string, stagingSecretId: string, otherSecretId: string;

async function makeApiToken(projectId: string, environment: string, scope: 'read' | 'read-write') {
  signInAs(projectId === team.projectId ? team.owner : team.outsider);
  return createToken(
    projectId,
    createTokenSchema.parse({ name: `${environment}-${scope}`, environmentId: await environmentId(projectId, environment), scope, expiry: '30' }),
  );
}

beforeAll(async () => {
  api = await startApiTeam('API Tokens');
  ({ team, server } = api);
  tokens.write = api.writeToken;
  const production = api.production;
  const staging = await environmentId(team.projectId, 'staging');
  const otherProduction = await environmentId(team.otherProjectId, 'production');

  signInAs(team.owner);
  productionSecretId = (await createSecret(team.projectId, production, { key: 'PROD_KEY', value: 'prod-value', description: '', type: 'OTHER' })).id;
  stagingSecretId = (await createSecret(team.projectId, staging, { key: 'STAGING_KEY', value: 'staging-value', description: '', type: 'OTHER' })).id;
  await redeploy(team.projectId, production);
  signInAs(team.outsider);
  otherSecretId = (await createSecret(team.otherProjectId, otherProduction, { key: 'OTHER_KEY', value: 'other-value', description: '', type: 'OTHER' })).id;
  await redeploy(team.otherProjectId, otherProduction);

  tokens.read = (await makeApiToken(team.projectId, 'production', 'read')).token;
  tokens.stagingWrite = (await makeApiToken(team.projectId, 'staging', 'read-write')).token;
  tokens.otherWrite = (await makeApiToken(team.otherProjectId, 'production', 'read-write')).token;
  const expired = await makeApiToken(team.projectId, 'production', 'read-write');
  await db.serviceToken.update({ where: { id: expired.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
  tokens.expired = expired.token;
  const revoked = await makeApiToken(team.projectId, 'production', 'read-write');
  signInAs(team.owner);
  await revokeToken(team.projectId, revoked.id);
  tokens.revoked = revoked.token;
  signInAs(null);
});

afterAll(() => api.close());

const WRITE_ROUTES = [
  ['POST /api/v1/secrets', 'POST', () => '/api/v1/secrets', { name: 'MISUSED_TOKEN_KEY', value: 'misused' }],
  ['PATCH /api/v1/secrets/{id}', 'PATCH', () => `/api/v1/secrets/${productionSecretId}`, { value: 'misused' }],
  ['DELETE /api/v1/secrets/{id}', 'DELETE', () => `/api/v1/secrets/${productionSecretId}`, undefined],
  ['GET /api/v1/secrets/info', 'GET', () => '/api/v1/secrets/info', undefined],
] as const;

const REFUSED_TOKENS = [
  ['an expired token', 'expired', apiError(401, 'token_expired', API_MESSAGES.tokenExpired)],
  ['a revoked token', 'revoked', apiError(401, 'token_revoked', API_MESSAGES.tokenRevoked)],
  ['a read-only token', 'read', apiError(403, 'insufficient_scope', API_MESSAGES.insufficientScope)],
] as const;

describe('refused tokens on every write route', () => {
  const cases = REFUSED_TOKENS.flatMap(([who, token, answer]) =>
    WRITE_ROUTES.map(([route, method, path, body]) => [`${route} with ${who}`, method, path, body, token, answer] as const),
  );
  it.each(cases)('%s is refused exactly and changes nothing', async (_, method, path, body, token, answer) => {
    const before = await secretRows();
    const res = await callApi(server, path(), { method, token: tokens[token], body });
    expect(errorOf(res)).toEqual(answer);
    expect(res.text).not.toContain('prod-value');
    expect(await secretRows()).toEqual(before);
  });
});

describe('ids of another environment or project', () => {
  const notFound = apiError(404, 'secret_not_found', API_MESSAGES.secretIdNotFound);
  const cases = [
    ['a staging token PATCHes a production secret', 'stagingWrite', 'PATCH', () => productionSecretId],
    ['a staging token DELETEs a production secret', 'stagingWrite', 'DELETE', () => productionSecretId],
    ['a production token PATCHes a staging secret', 'write', 'PATCH', () => stagingSecretId],
    ['a production token DELETEs a staging secret', 'write', 'DELETE', () => stagingSecretId],
    ["project A's token PATCHes project B's secret", 'write', 'PATCH', () => otherSecretId],
    ["project A's token DELETEs project B's secret", 'write', 'DELETE', () => otherSecretId],
    ["project B's token PATCHes project A's secret", 'otherWrite', 'PATCH', () => productionSecretId],
    ["project B's token DELETEs project A's secret", 'otherWrite', 'DELETE', () => productionSecretId],
  ] as const;
  it.each(cases)('%s: 404 secret_not_found, nothing changes', async (_, token, method, id) => {
    const before = await secretRows();
    const res = await callApi(server, `/api/v1/secrets/${id()}`, {
      method,
      token: tokens[token],
      body: method === 'PATCH' ? { value: 'crossed', name: 'CROSSED' } : undefined,
    });
    expect(errorOf(res)).toEqual(notFound);
    expect(await secretRows()).toEqual(before);
  });

  it("reads never cross: B's token sees neither A's names, ids nor values", async () => {
    const byName = await callApi(server, '/api/v1/secrets/PROD_KEY', { token: tokens.otherWrite });
    expect(errorOf(byName)).toEqual(apiError(404, 'secret_not_found', API_MESSAGES.secretNameNotFound));
    const all = await callApi(server, '/api/v1/secrets', { token: tokens.otherWrite });
    expect(all.status).toBe(200);
    expect(all.json).toEqual({ secrets: { OTHER_KEY: 'other-value' } });
    const info = await callApi(server, '/api/v1/secrets/info', { token: tokens.otherWrite });
    expect(info.json.secrets.map((s: { id: string; name: string }) => [s.id, s.name])).toEqual([[otherSecretId, 'OTHER_KEY']]);
  });

  it('a staging token creates only in staging, even when production has the key', async () => {
    const res = await callApi(server, '/api/v1/secrets', { method: 'POST', token: tokens.stagingWrite, body: { name: 'PROD_KEY', value: 'staging-copy' } });
    expect(res.status).toBe(201);
    const row = await db.secret.findUniqueOrThrow({ where: { id: res.json.id }, select: { projectId: true, environmentId: true } });
    expect(row).toEqual({ projectId: team.projectId, environmentId: await environmentId(team.projectId, 'staging') });
    expect(await db.secret.count({ where: { key: 'PROD_KEY' } })).toBe(2);
  });
});
