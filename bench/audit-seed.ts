// Seeding for bench/audit.mjs (and the audit page timings that extend it):
// a project with its environments and `count` audit events forming a valid
// chain (lib/audit/chain.ts), shaped like a real log: people and tokens,
// every action kind, three environments, a few hundred secret keys, one event
// per few seconds going back in time. Written with createMany in batches,
// hashes computed as the app computes them.
import { randomBytes, randomUUID } from 'node:crypto';
import { AUDIT_ACTIONS } from '@/lib/audit/action-labels';
import { eventHash, type ChainedFields } from '@/lib/audit/chain';
import { db } from '@/lib/db';
import { createProjectKey } from '@/lib/projects/keys';

export type SeededAudit = { projectId: string; slug: string; events: number; actors: string[]; keys: string[]; environments: string[] };

const ENVIRONMENTS = ['development', 'staging', 'production'];
const BATCH = 2_000;

/** A project with `count` chained audit events (newest now, one every 3 s before it). */
export async function seedAuditEvents(count: number): Promise<SeededAudit> {
  const slug = `audit-bench-${randomBytes(4).toString('hex')}`;
  const project = await db.$transaction(async (tx) => {
    const row = await tx.project.create({ data: { name: 'Audit bench', slug } });
    await createProjectKey(tx, row.id);
    await tx.environment.createMany({ data: ENVIRONMENTS.map((name, position) => ({ projectId: row.id, name, position })) });
    return row;
  });
  const users = await Promise.all(
    ['Ada', 'Grace', 'Linus', 'Margaret'].map((name) =>
      db.user.create({
        data: { name, email: `${name.toLowerCase()}-${randomUUID()}@bench.test`, passwordHash: 'scrypt$unused' },
        select: { id: true, name: true },
      }),
    ),
  );
  const tokens = ['ci-production', 'worker', 'cron'].map((name) => ({ id: randomUUID(), name }));
  const keys = Array.from({ length: 300 }, (_, i) => `BENCH_${['STRIPE', 'DATABASE', 'REDIS', 'SENTRY', 'S3'][i % 5]}_${String(i).padStart(3, '0')}`);
  const actions = AUDIT_ACTIONS.map((a) => a.action);
  const start = Date.now() - count * 3_000;

  let prevHash: string | null = null;
  for (let done = 0; done < count; done += BATCH) {
    const rows: (ChainedFields & { prevHash: string | null; hash: string })[] = [];
    for (let i = done; i < Math.min(count, done + BATCH); i++) {
      const byToken = i % 4 === 0;
      const user = users[i % users.length];
      const token = tokens[i % tokens.length];
      const action = byToken ? (i % 8 === 0 ? 'secrets.read' : 'secret.value_changed') : actions[i % actions.length];
      const key = keys[(i * 7) % keys.length];
      const fields: ChainedFields = {
        id: randomUUID(),
        projectId: project.id,
        seq: i + 1,
        actorId: byToken ? null : user.id,
        actorTokenId: byToken ? token.id : null,
        actorLabel: byToken ? `token:${token.name} (kh_bench00)` : user.name,
        action,
        targetType: action === 'secrets.read' ? 'environment' : 'secret',
        targetId: randomUUID(),
        targetLabel: action === 'secrets.read' ? ENVIRONMENTS[i % 3] : key,
        environment: ENVIRONMENTS[i % 3],
        details: JSON.stringify(action === 'secrets.read' ? { requests: 1 + (i % 50), keys: [key], keysCount: 1 } : { version: 1 + (i % 9) }),
        ip: `192.0.2.${i % 250}`,
        createdAt: new Date(start + i * 3_000),
      };
      const hash = eventHash(fields, prevHash);
      rows.push({ ...fields, prevHash, hash });
      prevHash = hash;
    }
    await db.auditEvent.createMany({ data: rows });
  }
  await db.auditChain.create({ data: { id: project.id, seq: count, hash: prevHash } });
  return {
    projectId: project.id,
    slug,
    events: count,
    actors: [...users.map((u) => u.name), ...tokens.map((t) => `token:${t.name} (kh_bench00)`)],
    keys,
    environments: ENVIRONMENTS,
  };
}
