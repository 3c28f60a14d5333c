import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db } from '@/lib/db';
import { migrateTestDatabase } from './support/db';
import { startApiServer, type ApiServer } from './support/api-server';
import { makeTeam, type Team } from './support/fixtures';

// Load balancer probes (issue 8): /api/health while the process runs, /api/ready
// when the database answers and the master keys unwrap every project key —
// without a token, and naming nothing (no version, path, host or project).

let server: ApiServer;
let team: Team;

beforeAll(async () => {
  await migrateTestDatabase();
  team = await makeTeam('Probes Project Name');
  server = await startApiServer();
});

afterAll(() => server.close());

const get = async (path: string) => {
  const res = await fetch(`${server.url}${path}`);
  return { status: res.status, body: await res.text() };
};

describe('probes', () => {
  it('/api/health answers 200 without a token', async () => {
    expect(await get('/api/health')).toEqual({ status: 200, body: JSON.stringify({ status: 'ok' }) });
  });

  it('/api/ready answers 503 keys_missing, naming nothing, when a project key cannot be unwrapped; health stays 200', async () => {
    // The first readiness probe of this process: nothing is remembered yet.
    const key = await db.projectKey.findFirstOrThrow({ where: { projectId: team.projectId } });
    const flipped = Buffer.from(key.wrappedKey);
    flipped[flipped.length - 1] ^= 1;
    await db.projectKey.update({ where: { id: key.id }, data: { wrappedKey: flipped } });

    const ready = await get('/api/ready');
    expect(ready.status).toBe(503);
    const { error } = JSON.parse(ready.body) as { error: { code: string; message: string } };
    expect(error.code).toBe('keys_missing');
    const project = await db.project.findUniqueOrThrow({ where: { id: team.projectId } });
    for (const secret of [project.name, project.slug, team.projectId, process.env.DATABASE_URL!, process.version]) {
      expect(ready.body).not.toContain(secret);
    }
    expect((await get('/api/health')).status).toBe(200);
  });
});
