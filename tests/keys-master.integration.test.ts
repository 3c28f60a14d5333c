// Master key rotation through the real command (`npm run keys -- ...` as a
// child process on this file's SQLite database): status, rotate-master killed
// with SIGKILL midway and run again, and the server refusing to start when the
// configured master keys cannot unwrap every project key.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { open, seal, totpSecretContext } from '@/lib/crypto/envelope';
import { db } from '@/lib/db';
import { runNode } from './support/cli-run';
import { migrateTestDatabase } from './support/db';
import { fillProject, ROOT, runKeys, type FilledProject } from './support/key-fixtures';

// Each case runs the real commands as child processes (tsx start-up, several per case): on a busy
// 2-core machine that takes far longer than the default 30 s, so every case here gets room.
vi.setConfig({ testTimeout: 300_000, hookTimeout: 300_000 });

const OLD = process.env.KEYHOLD_MASTER_KEY!; // version 1: every project key below is wrapped under it
const NEW = randomBytes(32).toString('base64');
const BOTH = `1:${OLD},2:${NEW}`;
const PROJECTS = 24;
const NEWER = randomBytes(32).toString('base64'); // version 3, from the second-factor block on
const THREE = `2:${NEW},3:${NEWER}`;

let projects: FilledProject[];

beforeAll(async () => {
  await migrateTestDatabase();
  projects = [];
  for (let i = 0; i < PROJECTS; i++) projects.push(await fillProject(`Master ${String(i).padStart(2, '0')}`, 3, 2));
}, 300_000);

const wrappedUnder = async (version: number) => db.projectKey.count({ where: { masterKeyVersion: version } });

describe('keys status', () => {
  it('lists the configured versions, what each wraps, every project key version with its encryptions', async () => {
    const result = await runKeys(['status'], { env: { KEYHOLD_MASTER_KEY: BOTH } });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Master key versions configured: 1, 2 (version 2 wraps new keys)');
    expect(result.stdout).toContain(`  version 1: wraps ${PROJECTS} project keys`);
    expect(result.stdout).toContain('  version 2: wraps 0 project keys');
    // 3 secrets × 2 versions, as counted by the fixture.
    expect(result.stdout).toContain(`  ${projects[0].slug}: v1 current, 6 encryptions`);
    expect(result.stdout).toContain('Every project key unwraps with the configured master keys.');
  });

  it('names, by project, what the configured master keys cannot unwrap, and exits non-zero', async () => {
    const result = await runKeys(['status'], { env: { KEYHOLD_MASTER_KEY: `2:${NEW}` } });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`  version 1 (not configured): wraps ${PROJECTS} project keys`);
    expect(result.stdout).toContain(`  project ${projects[0].slug}: project ${projects[0].slug} data key version 1`);
    expect(result.stdout).toContain('Missing master key version 1: add it to KEYHOLD_MASTER_KEY.');
  });

  it('answers a wrong verb with the usage line and exit code 1', async () => {
    const result = await runKeys(['rotate-everything']);
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe('keys: usage: npm run keys -- status | rotate-master | rotate-project <slug> | verify');
  });
});

describe('keys rotate-master', () => {
  it('survives SIGKILL midway: the next run finishes, every value decrypts under the new key alone, version 1 is reported unneeded', async () => {
    let sawProgress = false;
    const killed = await runKeys(['rotate-master'], {
      env: { KEYHOLD_MASTER_KEY: BOTH, KEYHOLD_KEYS_BATCH: '4', KEYHOLD_KEYS_BATCH_PAUSE_MS: '400' },
      onSpawn: (child) =>
        child.stdout!.on('data', (chunk: Buffer) => {
          if (!sawProgress && /project keys re-wrapped: [1-9]/.test(chunk.toString())) {
            sawProgress = true;
            child.kill('SIGKILL');
          }
        }),
    });
    expect(killed.signal).toBe('SIGKILL');
    const midway = await wrappedUnder(2);
    expect(midway).toBeGreaterThan(0);
    expect(midway).toBeLessThan(PROJECTS);

    const resumed = await runKeys(['rotate-master'], { env: { KEYHOLD_MASTER_KEY: BOTH } });
    expect(resumed.stderr).toBe('');
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toContain(`Every project key is wrapped under master key version 2 (${PROJECTS - midway} keys re-wrapped by this run).`);
    expect(resumed.stdout).toContain('Master key version 1 is no longer needed and can be removed from KEYHOLD_MASTER_KEY.');
    expect(await wrappedUnder(2)).toBe(PROJECTS);
    // Value fingerprints are keyed by the newest master key (lib/secrets/fingerprint.ts): every one recomputed under version 2.
    expect(resumed.stdout).toContain(`${PROJECTS * 3} value fingerprints recomputed under master key version 2.`);
    expect(await db.secret.count({ where: { OR: [{ valueFingerprint: null }, { NOT: { valueFingerprint: { startsWith: '2:' } } }] } })).toBe(0);

    // Idempotent: nothing left to do.
    const again = await runKeys(['rotate-master'], { env: { KEYHOLD_MASTER_KEY: BOTH } });
    expect(again.stdout).toContain('(0 keys re-wrapped by this run)');

    // Without version 1 at all, every project key and every blob still opens.
    const verify = await runKeys(['verify'], { env: { KEYHOLD_MASTER_KEY: `2:${NEW}` } });
    expect(verify.code).toBe(0);
    expect(verify.stdout).toContain(`Verified ${PROJECTS * 7} blobs`);

    // One audit event per project, written with its re-wrap.
    const events = await db.auditEvent.findMany({ where: { action: 'key.master_rewrapped' }, select: { projectId: true, details: true } });
    expect(new Set(events.map((e) => e.projectId)).size).toBe(PROJECTS);
    expect(JSON.parse(events[0].details)).toMatchObject({ toMasterVersion: 2, keys: 1 });
  });

  it('the server refuses to start, in one line naming the projects, when a master key version is missing', async () => {
    const result = await runNode(['--import', 'tsx', path.join(ROOT, 'server.ts')], {
      cwd: ROOT,
      timeoutMs: 60_000,
      env: { KEYHOLD_MASTER_KEY: OLD, PORT: '0' }, // version 1 only: the keys are now under version 2
    });
    expect(result.code).toBe(1);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^\[keyhold\] Refusing to start: the configured master keys cannot unwrap the data keys of projects /);
    for (const p of projects) expect(lines[0]).toContain(p.slug);
    expect(lines[0]).toMatch(/add master key version 2 to KEYHOLD_MASTER_KEY\.$/);
  });
});

describe('second-factor secrets under the master key', () => {
  it('are re-wrapped by rotate-master with the project keys, verified, and named (by count) when they cannot be unwrapped', async () => {
    const totp = randomBytes(20);
    const user = await db.user.create({
      data: {
        email: `totp-${Date.now()}@example.test`,
        name: 'Totp',
        passwordHash: 'x',
        totpSecret: seal(Buffer.from(NEW, 'base64'), 2, totp, totpSecretContext('pending')),
      },
    });
    // Bound to its own user id (the row's id is known only now).
    await db.user.update({ where: { id: user.id }, data: { totpSecret: seal(Buffer.from(NEW, 'base64'), 2, totp, totpSecretContext(user.id)) } });

    const rotated = await runKeys(['rotate-master'], { env: { KEYHOLD_MASTER_KEY: THREE } });
    expect(rotated.stderr).toBe('');
    expect(rotated.code).toBe(0);
    expect(rotated.stdout).toContain('Master key version 2 is no longer needed and can be removed from KEYHOLD_MASTER_KEY.');
    // Project keys and second-factor secrets counted apart, in the progress lines and the last lines.
    expect(rotated.stdout).toContain(`project keys re-wrapped: ${PROJECTS}/${PROJECTS}`);
    expect(rotated.stdout).toContain('second-factor secrets re-wrapped: 1/1');
    expect(rotated.stdout).toContain(`Every project key is wrapped under master key version 3 (${PROJECTS} keys re-wrapped by this run).`);
    expect(rotated.stdout).toContain('Every account second-factor secret is wrapped under master key version 3 too (1 secret re-wrapped by this run).');
    const sealed = (await db.user.findUniqueOrThrow({ where: { id: user.id }, select: { totpSecret: true } })).totpSecret!;
    const reopened = open((v) => (v === 3 ? Buffer.from(NEWER, 'base64') : undefined), sealed, totpSecretContext(user.id), 'test');
    expect(reopened.equals(totp)).toBe(true);

    const verify = await runKeys(['verify'], { env: { KEYHOLD_MASTER_KEY: `3:${NEWER}` } });
    expect(verify.code).toBe(0);

    // Only version 2 configured: the projects and the account are named in one line.
    const status = await runKeys(['status'], { env: { KEYHOLD_MASTER_KEY: `2:${NEW}` } });
    expect(status.code).toBe(1);
    const refused = await runNode(['--import', 'tsx', path.join(ROOT, 'server.ts')], {
      cwd: ROOT,
      timeoutMs: 60_000,
      env: { KEYHOLD_MASTER_KEY: `2:${NEW}`, PORT: '0' },
    });
    expect(refused.code).toBe(1);
    expect(refused.stderr.trim()).toMatch(
      /cannot unwrap the data keys of projects .* and the second factor of 1 account: add master key version 3 to KEYHOLD_MASTER_KEY\.$/,
    );
  });
});

describe('keys status with second-factor secrets, and the start check', () => {
  it('counts project keys and second-factor secrets apart, and names an account as an account', async () => {
    // The second-factor block above left every project key and one account's secret under version 3.
    const status = await runKeys(['status'], { env: { KEYHOLD_MASTER_KEY: THREE } });
    expect(status.stderr).toBe('');
    expect(status.code).toBe(0);
    expect(status.stdout).toContain(`  version 3: wraps ${PROJECTS} project keys`);
    expect(status.stdout).toContain('  version 3: wraps 1 second-factor secret\n');
    expect(status.stdout).toContain('  version 2: wraps 0 project keys');
    expect(status.stdout).not.toContain('version 2: wraps 0 second-factor');

    const user = await db.user.findFirstOrThrow({ where: { totpSecret: { not: null } }, select: { email: true } });
    const refused = await runKeys(['status'], { env: { KEYHOLD_MASTER_KEY: `2:${NEW}` } });
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain(`  version 3 (not configured): wraps ${PROJECTS} project keys`);
    expect(refused.stdout).toContain('  version 3 (not configured): wraps 1 second-factor secret');
    expect(refused.stdout).toContain(`  account ${user.email}: the second factor of ${user.email}`);
    expect(refused.stdout).toContain(`  project ${projects[0].slug}: project ${projects[0].slug} data key version 1`);
    expect(refused.stdout).not.toContain('project account');
    // One summary line on stderr, worded as the server's refusal.
    const lines = refused.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^keys: the configured master keys cannot unwrap the data keys of projects .* and the second factor of 1 account: add master key version 3 to KEYHOLD_MASTER_KEY\.$/,
    );
  });

  it('refuses a missing SQLite database in one line instead of creating an empty file', async () => {
    const missing = path.join(os.tmpdir(), `keyhold-missing-${Date.now()}`, 'keyhold.db');
    const result = await runKeys(['status'], { env: { KEYHOLD_MASTER_KEY: THREE, DATABASE_URL: `file:${missing}` } });
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe(`keys: no database at DATABASE_URL (${missing} does not exist): run \`npm run migrate\` first, or check DATABASE_URL`);
    expect(fs.existsSync(missing)).toBe(false);
  });

  it('one corrupted second-factor secret is a warning naming the account at start, not a refusal', async () => {
    const email = `broken-${Date.now()}@example.test`;
    const user = await db.user.create({ data: { email, name: 'Broken', passwordHash: 'x' } });
    // Sealed under a configured version but bound to another user: fails its integrity check.
    await db.user.update({
      where: { id: user.id },
      data: { totpSecret: seal(Buffer.from(NEWER, 'base64'), 3, randomBytes(20), totpSecretContext('someone-else')) },
    });
    try {
      const check = await runNode(['--import', 'tsx', path.join(ROOT, 'scripts/start-check.ts')], {
        cwd: ROOT,
        timeoutMs: 60_000,
        env: { KEYHOLD_MASTER_KEY: THREE },
      });
      expect(check.code).toBe(0);
      const lines = check.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(new RegExp(`^\\[keyhold\\] Warning: the second factor of ${email.replace(/\./g, '\\.')} fails its integrity check`));

      // A missing master key version is still a refusal, from the same check, before any build.
      const refused = await runNode(['--import', 'tsx', path.join(ROOT, 'scripts/start-check.ts')], {
        cwd: ROOT,
        timeoutMs: 60_000,
        env: { KEYHOLD_MASTER_KEY: `2:${NEW}` },
      });
      expect(refused.code).toBe(1);
      expect(refused.stderr.trim()).toMatch(
        /^\[keyhold\] Refusing to start: the configured master keys cannot unwrap the data keys of projects .*add master key version 3 to KEYHOLD_MASTER_KEY\.$/,
      );
    } finally {
      await db.user.delete({ where: { id: user.id } });
    }
  });
});
