// A project's data key is rotated automatically, in the background, once it
// has encrypted more values than KEYHOLD_DATA_KEY_ROTATE_AFTER (2^31 in
// production; 30 here), and only once.
import { beforeAll, expect, it, vi } from 'vitest';
import { db } from '@/lib/db';
import { authorizedChangeSecret } from '@/lib/secrets/authorized';
import { migrateTestDatabase } from './support/db';
import { blobVersions, decryptAll, fillProject } from './support/key-fixtures';

// Each case runs the real commands as child processes (tsx start-up, several per case): on a busy
// 2-core machine that takes far longer than the default 30 s, so every case here gets room.
vi.setConfig({ testTimeout: 300_000, hookTimeout: 300_000 });

process.env.KEYHOLD_DATA_KEY_ROTATE_AFTER = '30'; // read lazily by lib/env.ts, after this line

const WRITER = { userId: null, label: 'auto-rotation test writer', ip: null };

beforeAll(async () => {
  await migrateTestDatabase();
});

// encryptions is a BigInt column (Prisma returns bigint): compared as numbers here.
const encryptionsOf = async (projectId: string) =>
  (await db.projectKey.findMany({ where: { projectId }, orderBy: { version: 'asc' }, select: { version: true, encryptions: true } })).map((k) => ({
    ...k,
    encryptions: Number(k.encryptions),
  }));

it('past the threshold, the next write starts a background rotation to version 2 that re-encrypts every blob', async () => {
  const project = await fillProject('Worn key', 10, 2); // 20 encryptions
  const secret = await db.secret.findFirstOrThrow({ where: { projectId: project.projectId, key: 'KEY_0' }, select: { id: true } });

  for (let i = 0; i < 10; i++) await authorizedChangeSecret(WRITER, { projectId: project.projectId }, secret.id, { value: `below-${i}` });
  expect(await encryptionsOf(project.projectId)).toEqual([{ version: 1, encryptions: 30 }]); // at the threshold, not past it

  await authorizedChangeSecret(WRITER, { projectId: project.projectId }, secret.id, { value: 'past the threshold' });
  await vi.waitFor(async () => expect(await blobVersions(project.projectId)).toEqual([2]), { timeout: 20_000, interval: 50 });
  await vi.waitFor(async () => expect(await db.auditEvent.count({ where: { projectId: project.projectId, action: 'key.project_reencrypted' } })).toBe(1));

  const rotated = await db.auditEvent.findMany({ where: { projectId: project.projectId, action: 'key.project_rotated' } });
  expect(rotated.map((e) => [e.actorLabel, JSON.parse(e.details)])).toEqual([
    ['keyhold (automatic rotation)', { fromVersion: 1, toVersion: 2, reason: 'encryption limit' }],
  ]);
  const values = await decryptAll(project.projectId);
  expect(values.get(`${secret.id}/13`)).toBe('past the threshold');
  // 10 secrets × 2 + 11 writes + 1 deployment, every one re-encrypted under version 2.
  expect(await encryptionsOf(project.projectId)).toEqual([
    { version: 1, encryptions: 31 },
    { version: 2, encryptions: 32 },
  ]);
});

it('counts past 2^31 - 1 (the largest PostgreSQL INTEGER) without overflowing: the rotation threshold is beyond it', async () => {
  const project = await fillProject('Big count', 1, 1);
  const where = { projectId_version: { projectId: project.projectId, version: 1 } };
  await db.projectKey.update({ where, data: { encryptions: 2_147_483_647n } });
  const { encryptions } = await db.projectKey.update({ where, data: { encryptions: { increment: 2 } }, select: { encryptions: true } });
  expect(encryptions).toBe(2_147_483_649n);
});
