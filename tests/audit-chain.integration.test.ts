import { spawn, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { eventHash, GLOBAL_CHAIN } from '@/lib/audit/chain';
import { recordAudit } from '@/lib/audit/mutations';
import { verifyAuditChainAction } from '@/lib/audit/actions';
import { auditChainStatus } from '@/lib/audit/queries';
import { verifyAuditChain, verifyChain } from '@/lib/audit/verify';
import { db } from '@/lib/db';
import { createProject } from '@/lib/projects/mutations';
import { migrateTestDatabase } from './support/db';
import { makeTeam, makeUser, type User } from './support/fixtures';
import { signInAs } from './support/session';

let owner: User, admin: User, member: User;
let teamProject: string;
let teamSlug: string;

beforeAll(async () => {
  await migrateTestDatabase();
  ({ owner, admin, member, projectId: teamProject } = await makeTeam('Audit Chain'));
  teamSlug = (await db.project.findUniqueOrThrow({ where: { id: teamProject } })).slug;
});

beforeEach(() => signInAs(owner));

const actor = { userId: null, label: 'test', ip: '192.0.2.1' };

/** A fresh project (event #1 project.created) with `n` more events. */
async function chainWith(n: number): Promise<{ projectId: string; slug: string }> {
  signInAs(owner);
  const { slug } = await createProject({ name: `Chain ${randomUUID().slice(0, 8)}` });
  const projectId = (await db.project.findUniqueOrThrow({ where: { slug } })).id;
  for (let i = 0; i < n; i++) {
    await db.$transaction((tx) =>
      recordAudit(tx, actor, { projectId, action: 'secret.created', targetType: 'secret', targetLabel: `KEY_${i}`, details: { version: 1 } }),
    );
  }
  return { projectId, slug };
}

const eventAt = (projectId: string, seq: number) => db.auditEvent.findFirstOrThrow({ where: { projectId, seq } });

describe('the audit chain', () => {
  it('numbers, links and hashes every event of a project, and verifies', async () => {
    const { projectId } = await chainWith(4);
    const rows = await db.auditEvent.findMany({ where: { projectId }, orderBy: { seq: 'asc' } });
    expect(rows.map((r) => r.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(rows[0]).toMatchObject({ action: 'project.created', prevHash: null });
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i];
      expect(row.hash).toBe(eventHash({ ...row, seq: row.seq! }, i === 0 ? null : rows[i - 1].hash));
      if (i > 0) expect(row.prevHash).toBe(rows[i - 1].hash);
    }
    const head = await db.auditChain.findUniqueOrThrow({ where: { id: projectId } });
    expect(head).toMatchObject({ seq: 5, hash: rows[4].hash });
    const result = await verifyAuditChain(projectId);
    expect(result).toMatchObject({ ok: true, checked: 5 });
    expect(result.firstBad).toBeUndefined();
  });

  it('names an event whose fields were edited in the database', async () => {
    const { projectId } = await chainWith(5);
    const target = await eventAt(projectId, 3);
    await db.auditEvent.update({ where: { id: target.id }, data: { targetLabel: 'SOMETHING_ELSE' } });
    const result = await verifyAuditChain(projectId);
    expect(result).toMatchObject({ ok: false, checked: 2 });
    expect(result.firstBad).toMatchObject({ kind: 'altered', seq: 3, eventId: target.id, action: 'secret.created', at: target.createdAt.toISOString() });
    expect(result.firstBad!.message).toBe(`Event #3 (secret.created at ${target.createdAt.toISOString()}, id ${target.id}) was altered.`);
  });

  it('names an edited time, actor or address too (every field is covered)', async () => {
    for (const data of [{ createdAt: new Date(Date.UTC(2020, 0, 1)) }, { actorLabel: 'someone else' }, { ip: '198.51.100.9' }, { details: '{}' }]) {
      const { projectId } = await chainWith(2);
      const target = await eventAt(projectId, 2);
      await db.auditEvent.update({ where: { id: target.id }, data });
      expect((await verifyAuditChain(projectId)).firstBad).toMatchObject({ kind: 'altered', seq: 2, eventId: target.id });
    }
  });

  it('names a deleted event by its number, and events deleted from the end', async () => {
    const { projectId } = await chainWith(5);
    await db.auditEvent.delete({ where: { id: (await eventAt(projectId, 4)).id } });
    const next = await eventAt(projectId, 5);
    const result = await verifyAuditChain(projectId);
    expect(result).toMatchObject({ ok: false, checked: 3 });
    expect(result.firstBad).toMatchObject({ kind: 'deleted', seq: 4, eventId: null });
    expect(result.firstBad!.message).toContain('Event #4 is missing: it was deleted');
    expect(result.firstBad!.message).toContain(next.id);

    const tail = await chainWith(5);
    await db.auditEvent.deleteMany({ where: { projectId: tail.projectId, seq: { gte: 5 } } });
    expect((await verifyAuditChain(tail.projectId)).firstBad).toMatchObject({
      kind: 'truncated',
      seq: 5,
      message: 'Events #5–#6 are missing from the end of the chain: deleted.',
    });
  });

  it('names the first of two swapped events', async () => {
    const { projectId } = await chainWith(5);
    const [a, b] = [await eventAt(projectId, 3), await eventAt(projectId, 4)];
    // Swap their places (through a free number: seq is unique per project).
    await db.auditEvent.update({ where: { id: a.id }, data: { seq: 1000 } });
    await db.auditEvent.update({ where: { id: b.id }, data: { seq: 3 } });
    await db.auditEvent.update({ where: { id: a.id }, data: { seq: 4 } });
    const result = await verifyAuditChain(projectId);
    expect(result.firstBad).toMatchObject({ kind: 'reordered', seq: 3, eventId: b.id });
    expect(result.firstBad!.message).toContain('is out of order: it belongs after event #4');
  });

  it('names an event rewritten with a recomputed hash by the break it leaves in the links', async () => {
    const { projectId } = await chainWith(4);
    const target = await eventAt(projectId, 2);
    const forged = { ...target, seq: 2, targetLabel: 'FORGED' };
    await db.auditEvent.update({ where: { id: target.id }, data: { targetLabel: 'FORGED', hash: eventHash(forged, target.prevHash) } });
    const result = await verifyAuditChain(projectId);
    expect(result.firstBad).toMatchObject({ kind: 'reordered', seq: 3 });
    expect(result.firstBad!.message).toContain('does not follow event #2');
  });

  it('names an event inserted around Keyhold, with or without a place in the chain', async () => {
    const { projectId } = await chainWith(2);
    const row = { projectId, actorLabel: 'intruder', action: 'secret.deleted', details: '{}' };
    const loose = await db.auditEvent.create({ data: row });
    expect((await verifyAuditChain(projectId)).firstBad).toMatchObject({ kind: 'unchained', seq: null, eventId: loose.id, action: 'secret.deleted' });

    const other = await chainWith(2);
    const last = await eventAt(other.projectId, 3);
    const id = randomUUID();
    const createdAt = new Date();
    const fields = {
      id,
      projectId: other.projectId,
      seq: 4,
      actorId: null,
      actorTokenId: null,
      actorLabel: 'intruder',
      action: 'secret.deleted',
      targetType: null,
      targetId: null,
      targetLabel: null,
      environment: null,
      details: '{}',
      ip: null,
      createdAt,
    };
    await db.auditEvent.create({ data: { ...fields, prevHash: last.hash, hash: eventHash(fields, last.hash) } });
    expect((await verifyAuditChain(other.projectId)).firstBad).toMatchObject({ kind: 'unchained', seq: 4, eventId: id });
  });

  it('keeps the events without a project in a chain of their own', async () => {
    await db.$transaction((tx) => recordAudit(tx, actor, { projectId: null, action: 'account.password_changed', targetType: 'user' }));
    const head = await db.auditChain.findUniqueOrThrow({ where: { id: GLOBAL_CHAIN } });
    const last = await db.auditEvent.findFirstOrThrow({ where: { projectId: null, seq: head.seq } });
    expect(last).toMatchObject({ action: 'account.password_changed', hash: head.hash });
    expect(await verifyChain(GLOBAL_CHAIN)).toMatchObject({ ok: true, checked: head.seq });
  });

  it('seals the events written before chaining, oldest first, on the chain’s first use', async () => {
    const { projectId } = await chainWith(0);
    // As the migration leaves an upgraded database: events without seq, the chain marked -1.
    await db.auditEvent.deleteMany({ where: { projectId } });
    const times = [3, 1, 2].map((m) => new Date(Date.UTC(2025, 0, 1, 0, m)));
    for (const [i, createdAt] of times.entries())
      await db.auditEvent.create({ data: { projectId, actorLabel: 'old', action: 'secret.created', targetLabel: `OLD_${i}`, createdAt } });
    await db.auditChain.update({ where: { id: projectId }, data: { seq: -1, hash: null } });

    await db.$transaction((tx) => recordAudit(tx, actor, { projectId, action: 'secret.deleted', targetLabel: 'NEW' }));
    const rows = await db.auditEvent.findMany({ where: { projectId }, orderBy: { seq: 'asc' } });
    expect(rows.map((r) => [r.seq, r.targetLabel])).toEqual([
      [1, 'OLD_1'],
      [2, 'OLD_2'],
      [3, 'OLD_0'],
      [4, 'NEW'],
    ]);
    expect(await verifyAuditChain(projectId)).toMatchObject({ ok: true, checked: 4 });
  });

  it('is never forked by two instances writing to one project at once', async () => {
    const { projectId } = await chainWith(0);
    // Two processes with their own connections, as two app instances have.
    const writers = ['one', 'two'].map((label) =>
      spawn(process.execPath, ['--import', 'tsx', 'tests/support/audit-writer.ts', projectId, label, '20'], {
        env: process.env,
        stdio: ['pipe', 'pipe', 'inherit'],
      }),
    );
    await Promise.all(writers.map((w) => new Promise((resolve) => w.stdout!.once('data', resolve))));
    const exits = writers.map((w) => new Promise<number | null>((resolve) => w.once('exit', resolve)));
    for (const w of writers) w.stdin!.write('go\n');
    expect(await Promise.all(exits)).toEqual([0, 0]);
    const rows = await db.auditEvent.findMany({ where: { projectId }, orderBy: { seq: 'asc' }, select: { seq: true, actorLabel: true } });
    expect(rows.map((r) => r.seq)).toEqual(Array.from({ length: 41 }, (_, i) => i + 1));
    expect(rows.filter((r) => r.actorLabel === 'one')).toHaveLength(20);
    expect(rows.filter((r) => r.actorLabel === 'two')).toHaveLength(20);
    expect(await verifyAuditChain(projectId)).toMatchObject({ ok: true, checked: 41 });
  });

  it('refuses a second event with the same number in a project (the backstop)', async () => {
    const { projectId } = await chainWith(1);
    const first = await eventAt(projectId, 1);
    await expect(db.auditEvent.create({ data: { projectId, seq: 1, actorLabel: 'x', action: 'secret.created', hash: first.hash } })).rejects.toThrow();
  });
});

describe('append-only', () => {
  it('no code updates or deletes audit events, except sealing the events from before the chain', async () => {
    const { readdirSync, readFileSync, statSync } = await import('node:fs');
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const file = `${dir}/${name}`;
        if (name === 'generated' || name === 'node_modules') continue;
        if (statSync(file).isDirectory()) walk(file);
        else if (/\.(ts|tsx|mjs)$/.test(name)) files.push(file);
      }
    };
    for (const dir of ['lib', 'app', 'components', 'scripts', 'cli']) walk(dir);
    files.push('server.ts');
    const writes = /auditEvent\.(update|updateMany|upsert|delete|deleteMany)\b|(UPDATE|DELETE FROM)\s+"?AuditEvent/;
    expect(files.filter((f) => writes.test(readFileSync(f, 'utf8')))).toEqual(['lib/audit/chain.ts']);
    expect(readFileSync('lib/audit/chain.ts', 'utf8').match(/auditEvent\.update\(/g)).toHaveLength(1);
  });
});

describe('verification for people', () => {
  it('lets owners and admins verify and see the last result; a member is refused', async () => {
    signInAs(admin);
    const result = await verifyAuditChainAction(teamSlug);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.data.lastVerified).toMatchObject({ ok: true, firstBad: null });
    expect(result.data.events).toBe(result.data.lastVerified!.checked);
    expect(await auditChainStatus(teamProject)).toEqual(result.data);

    signInAs(member);
    expect(await verifyAuditChainAction(teamSlug)).toEqual({ ok: false, error: 'Only project owners and admins can see the audit log.', code: 'forbidden' });
    signInAs(await makeUser('Stranger'));
    expect(await verifyAuditChainAction(teamSlug)).toEqual({ ok: false, error: "You don't have access to this project.", code: 'forbidden' });
    expect(await verifyAuditChainAction('no-such-project')).toEqual({ ok: false, error: "You don't have access to this project.", code: 'not_found' });
  });

  it('stores a failed result with the event it names', async () => {
    const { projectId, slug } = await chainWith(3);
    const target = await eventAt(projectId, 2);
    await db.auditEvent.update({ where: { id: target.id }, data: { action: 'secret.deleted' } });
    const result = await verifyAuditChainAction(slug);
    expect(result.ok && result.data.lastVerified).toMatchObject({ ok: false, checked: 1, firstBad: { kind: 'altered', seq: 2, eventId: target.id } });
  });
});

describe('npm run audit -- verify', () => {
  const run = (...args: string[]) =>
    spawnSync(process.execPath, ['--import', 'tsx', 'scripts/audit.ts', ...args], { encoding: 'utf8', env: process.env, timeout: 60_000 });

  it('verifies one project by slug, and exits 1 naming the first bad event', async () => {
    const { projectId, slug } = await chainWith(3);
    const good = run('verify', slug);
    expect(good.stderr).toBe('');
    expect(good.stdout).toContain(`${slug}: 4 events verified`);
    expect(good.status).toBe(0);

    const target = await eventAt(projectId, 3);
    await db.auditEvent.delete({ where: { id: target.id } });
    const bad = run('verify', slug);
    expect(bad.status).toBe(1);
    expect(bad.stdout).toContain(`${slug}: FAILED after 2 good events: Event #3 is missing: it was deleted`);
    expect(bad.stderr).toBe('audit: audit verification failed: 1 chain broken\n');

    const all = run('verify');
    expect(all.status).toBe(1);
    expect(all.stdout).toContain('(events without a project): ');
    expect(run('verify', 'no-such-project').stderr).toBe('audit: No project with the slug no-such-project\n');
  }, 240_000); // five command runs, each starting node and tsx on a busy machine

  it('answers a wrong verb with its usage', () => {
    expect(run('check')).toMatchObject({ status: 1, stderr: 'audit: usage: npm run audit -- verify [project-slug]\n' });
  }, 60_000);
});
