import { setApiRateLimits } from '@/lib/api/rate-limit';
import { createToken } from '@/lib/tokens/mutations';
import { stopTokenUsageTimer } from '@/lib/tokens/registry';
import { createTokenSchema } from '@/lib/tokens/schemas';
import { startApiServer, type ApiServer } from './api-server';
import { migrateTestDatabase } from './db';
import { environmentId, makeTeam, type Team } from './fixtures';
import { signInAs } from './session';

export type ApiTeam = { team: Team; production: string; writeToken: string; server: ApiServer; close(): Promise<void> };

/**
 * A migrated database, a team (tests/support/fixtures.ts), a read-write token
 * for its production environment and the /api/v1 handler on a real port,
 * without rate limits or the token-use timer. Close it in afterAll.
 */
export async function startApiTeam(name: string): Promise<ApiTeam> {
  await migrateTestDatabase();
  stopTokenUsageTimer();
  setApiRateLimits({ perToken: 0, perIp: 0 });
  const team = await makeTeam(name);
  const production = await environmentId(team.projectId, 'production');
  signInAs(team.owner);
  const input = createTokenSchema.parse({ name: `${name} writer`, environmentId: production, scope: 'read-write', expiry: '30' });
  const writeToken = (await createToken(team.projectId, input)).token;
  signInAs(null);
  const server = await startApiServer();
  return {
    team,
    production,
    writeToken,
    server,
    close: async () => {
      await server.close();
      setApiRateLimits(null);
    },
  };
}
