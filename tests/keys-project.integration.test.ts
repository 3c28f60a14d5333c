// Project data key rotation through the real command (child processes on this
// file's SQLite database): online with an API reader and a data-layer writer
// running throughout, resumed after SIGKILL, and `keys verify` destroying
// retired versions only when no blob is left under them, naming a tampered blob.
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { setApiRateLimits } from '@/lib/api/rate-limit';
import { db } from '@/lib/db';
import { rotateProject } from '@/lib/keys/rotate-project';
import { forgetAllLive } from '@/lib/deploys/live';
import { authorizedChangeSecret } from '@/lib/secrets/authorized';
import { stopTokenUsageTimer } from '@/lib/tokens/registry';
import { deploySecrets, makeToken, startApiServer } from './support/cli-server';
import { migrateTestDatabase } from './support/db';
import { blobVersions, decryptAll, fillProject, runKeys } from './support/key-fixtures';

// Each case runs the real commands as child processes (tsx start-up, several per case): on a busy
// 2-core machine that takes far longer than the default 30 s, so every case here gets room.
vi.setConfig({ testTimeout: 300_000, hookTimeout: 300_000 });

const WRITER = { userId: null, label: 'rotation test writer', ip: null };

beforeAll(async () => {
  await migrateTestDatabase();
  stopTokenUsageTimer();
  setApiRateLimits({ perToken: 0, perIp: 0 });
});

const sorted = (values: Record<string, string>) => JSON.stringify(Object.entries(values).sort(([a], [b]) => (a < b ? -1 : 1)));

const keyVersions = async (projectId: string) =>
  (await db.projectKey.findMany({ where: { projectId }, orderBy: { version: 'asc' }, select: { version: true } })).map((k) => k.version);

describe('keys rotate-project', () => {
  it('re-encrypts online: API reads and data-layer writes throughout, 0 failures, every write present afterwards', async () => {
    const project = await fillProject('Online rotation', 400, 2);
    const production = project.environments.production;
    const token = await makeToken(project.projectId, production);
    const api = await startApiServer();
    const deployed = new Map<number, Record<string, string>>([[1, Object.fromEntries(project.production)]]);
    const secrets = await db.secret.findMany({ where: { projectId: project.projectId }, select: { id: true, key: true } });
    const written = new Map<string, string>();
    const failures: string[] = [];
    let reads = 0;
    let writes = 0;
    let rotating = true;

    const reader = (async () => {
      while (rotating) {
        forgetAllLive(); // every read decrypts the live snapshot from the database again
        try {
          const res = await fetch(`${api.url}/api/v1/secrets`, { headers: { authorization: `Bearer ${token}` } });
          const body = (await res.json()).secrets;
          const number = Number(res.headers.get('x-keyhold-deployment'));
          if (res.status !== 200) failures.push(`read answered ${res.status}`);
          else if (sorted(body) !== sorted(deployed.get(number)!)) failures.push(`read of deployment #${number} differs`);
          reads++;
        } catch (error) {
          failures.push(`read threw ${(error as Error).name}`);
        }
      }
    })();
    const writer = (async () => {
      const current = new Map(project.production);
      while (rotating) {
        // better-sqlite3 answers synchronously: yield so the child's exit and the reader's responses get through.
        await new Promise(setImmediate);
        const secret = secrets[writes % secrets.length];
        const value = `written-${writes}`;
        try {
          await authorizedChangeSecret(WRITER, { projectId: project.projectId }, secret.id, { value });
          written.set(secret.id, value);
          current.set(secret.key, value);
          if (writes % 25 === 24) {
            const { number } = await deploySecrets(project.projectId, production, current);
            deployed.set(number, Object.fromEntries(current));
          }
          writes++;
        } catch (error) {
          failures.push(`write threw ${(error as Error).name}`);
        }
      }
    })();

    const rotation = await runKeys(['rotate-project', project.slug], { env: { KEYHOLD_KEYS_BATCH: '40', KEYHOLD_KEYS_BATCH_PAUSE_MS: '30' } });
    rotating = false;
    await Promise.all([reader, writer]);
    await api.close();

    expect(rotation.stderr).toBe('');
    expect(rotation.code).toBe(0);
    expect(rotation.stdout).toContain(`Project ${project.slug} rotated to data key version 2:`);
    expect(rotation.stdout).toContain('Run `npm run keys -- verify` to destroy the retired data key versions.');
    expect(failures).toEqual([]);
    expect(reads).toBeGreaterThan(10);
    expect(writes).toBeGreaterThan(10);

    // Every write is there, as the current version of its secret, and decrypts to what was written.
    const values = await decryptAll(project.projectId);
    const current = await db.secret.findMany({ where: { id: { in: [...written.keys()] } }, select: { id: true, currentVersion: true } });
    for (const s of current) expect(values.get(`${s.id}/${s.currentVersion}`)).toBe(written.get(s.id));
    expect(await blobVersions(project.projectId)).toEqual([2]);

    const events = await db.auditEvent.findMany({ where: { projectId: project.projectId, action: { startsWith: 'key.' } }, orderBy: { createdAt: 'asc' } });
    expect(events.map((e) => e.action)).toEqual(['key.project_rotated', 'key.project_reencrypted']);
    expect(JSON.parse(events[0].details)).toEqual({ fromVersion: 1, toVersion: 2, reason: 'requested' });
  }, 300_000);

  it('resumes after SIGKILL without starting another rotation; verify destroys version 1 only once no blob is left under it', async () => {
    const project = await fillProject('Killed rotation', 150, 2);
    const before = await decryptAll(project.projectId);
    let killedAt = '';
    const killed = await runKeys(['rotate-project', project.slug], {
      env: { KEYHOLD_KEYS_BATCH: '20', KEYHOLD_KEYS_BATCH_PAUSE_MS: '400' },
      onSpawn: (child) =>
        child.stdout!.on('data', (chunk: Buffer) => {
          if (!killedAt && /blobs re-encrypted: [1-9]/.test(chunk.toString())) {
            killedAt = chunk.toString();
            child.kill('SIGKILL');
          }
        }),
    });
    expect(killed.signal).toBe('SIGKILL');
    expect(await blobVersions(project.projectId)).toEqual([1, 2]);

    // Not finished: verify keeps version 1 and says what to do.
    const early = await runKeys(['verify']);
    expect(early.code).toBe(1);
    expect(early.stdout).toMatch(new RegExp(`${project.slug}: .*blobs? still under a retired version: run \`npm run keys -- rotate-project ${project.slug}\``));
    expect(early.stderr).toMatch(/^keys: verification failed: 0 integrity failures, \d+ blobs under retired key versions\n$/);
    expect(await keyVersions(project.projectId)).toEqual([1, 2]);

    const resumed = await runKeys(['rotate-project', project.slug]);
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toContain(`Resumed the rotation of project ${project.slug} to data key version 2:`);
    expect(await blobVersions(project.projectId)).toEqual([2]);
    expect(await decryptAll(project.projectId)).toEqual(before);

    const verify = await runKeys(['verify']);
    expect(verify.stderr).toBe('');
    expect(verify.code).toBe(0);
    expect(verify.stdout).toContain(`${project.slug}: 301 under v2; retired data key version 1 destroyed`);
    expect(await keyVersions(project.projectId)).toEqual([2]);
    expect(await decryptAll(project.projectId)).toEqual(before);
    const destroyed = await db.auditEvent.findFirstOrThrow({ where: { projectId: project.projectId, action: 'key.retired_destroyed' } });
    expect(JSON.parse(destroyed.details)).toEqual({ versions: ['1'], currentVersion: 2 });
  }, 300_000);

  it('verify names a tampered blob (never its value), keeps that project’s retired key, and exits non-zero', async () => {
    const project = await fillProject('Tampered', 5, 2);
    await rotateProject({ id: project.projectId, slug: project.slug });
    const secret = await db.secret.findFirstOrThrow({ where: { projectId: project.projectId, key: 'KEY_3' }, select: { id: true } });
    const row = await db.secretVersion.findFirstOrThrow({ where: { secretId: secret.id, version: 2 } });
    const tampered = Buffer.from(row.blob);
    tampered[tampered.length - 20] ^= 0x01;
    await db.secretVersion.update({ where: { id: row.id }, data: { blob: tampered } });

    const result = await runKeys(['verify']);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('  integrity check failed: secret KEY_3 (production) version 2');
    expect(result.stdout + result.stderr).not.toContain(project.production.get('KEY_3')!);
    expect(result.stderr).toMatch(/^keys: verification failed: 1 integrity failure, 0 blobs under retired key versions\n$/);
    expect(await keyVersions(project.projectId)).toEqual([1, 2]);

    // Rotating again skips the tampered blob: one line in the singular, and the last progress line reaches the total.
    const rotated = await runKeys(['rotate-project', project.slug]);
    expect(rotated.code).toBe(1);
    expect(rotated.stderr).toBe('keys: 1 blob failed the integrity check and stayed as it was: secret KEY_3 (production) version 2\n');
    const last = rotated.stdout
      .trim()
      .split('\n')
      .filter((line) => line.startsWith(`${project.slug}: blobs re-encrypted`))
      .pop()!;
    const [, done, total] = /: ([\d,]+)\/([\d,]+)$/.exec(last)!;
    expect(last).toContain('(1 failed the integrity check, skipped)');
    expect(done).toBe(total);
  }, 300_000);

  it('names an unknown project in one line', async () => {
    const result = await runKeys(['rotate-project', 'no-such-project']);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('keys: No project has the slug "no-such-project" (see `npm run keys -- status`)\n');
  });
});
