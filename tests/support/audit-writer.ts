// One "app instance" appending audit events to a project's chain, in its own
// process on the database of DATABASE_URL: `audit-writer.ts <projectId> <label> <count>`.
// Waits for a line on stdin before writing, so two writers start together.
import { recordAudit } from '@/lib/audit/mutations';
import { db } from '@/lib/db';

const [projectId, label, count] = process.argv.slice(2);

async function main() {
  await db.$queryRaw`SELECT 1`;
  process.stdout.write('ready\n');
  await new Promise((resolve) => process.stdin.once('data', resolve));
  await Promise.all(
    Array.from({ length: Number(count) }, (_, i) =>
      db.$transaction((tx) => recordAudit(tx, { userId: null, label, ip: null }, { projectId, action: 'secret.created', targetLabel: `${label}_${i}` }), {
        maxWait: 20_000,
        timeout: 30_000,
      }),
    ),
  );
  await db.$disconnect();
  process.exit(0);
}

void main();
