// The timed work of bench/import.mjs, in its own process with that run's
// database and master key (not meant to be run alone). Prints one JSON line.
//
// In one project, the same N keys are written four ways, each timed:
//   baseline   N × authorizedCreateSecret (the Add dialog's path: one transaction, one audit event per secret)
//   preview    authorizedPreviewImport of N new keys (parse with dotenv, compare, HMAC id)
//   apply      authorizedApplyImport of those N keys (re-plan + one transaction + one audit event)
//   overwrite  preview + authorizedApplyImport overwriting the same N keys with new values
import { randomBytes, randomUUID } from 'node:crypto';
import { db } from '@/lib/db';
import { authorizedApplyImport, authorizedPreviewImport } from '@/lib/imports/authorized';
import { createProjectKey } from '@/lib/projects/keys';
import { authorizedCreateSecret } from '@/lib/secrets/authorized';

const N = Number(process.argv[2] ?? 1000);
const actor = { userId: null, label: 'bench', ip: null };
const ms = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;

async function project(name: string) {
  const id = randomUUID();
  await db.$transaction(async (tx) => {
    await tx.project.create({ data: { id, name, slug: `${name}-${id.slice(0, 8)}` } });
    await createProjectKey(tx, id);
    await tx.environment.createMany({ data: ['development', 'staging', 'production'].map((n, position) => ({ projectId: id, name: n, position })) });
  });
  const production = await db.environment.findFirstOrThrow({ where: { projectId: id, name: 'production' } });
  return { projectId: id, environmentId: production.id };
}

// Values like real ones: 40 random characters each.
const dotenv = (prefix: string) =>
  Array.from({ length: N }, (_, i) => `${prefix}_${String(i).padStart(5, '0')}=${randomBytes(30).toString('base64url')}`).join('\n') + '\n';

async function main() {
  const base = await project('baseline');
  const text = dotenv('KEY');
  const entries = text
    .trim()
    .split('\n')
    .map((line) => line.split('='));
  let start = process.hrtime.bigint();
  for (const [key, value] of entries) await authorizedCreateSecret(actor, base, { key, value, description: '', type: 'OTHER' });
  const baseline = ms(start);

  const imp = await project('import');
  const target = { projectId: imp.projectId, environmentIds: [imp.environmentId] };
  start = process.hrtime.bigint();
  const preview = await authorizedPreviewImport(target, { format: 'env', text });
  const previewMs = ms(start);
  start = process.hrtime.bigint();
  const applied = await authorizedApplyImport(actor, target, { format: 'env', text }, preview.id, []);
  const applyMs = ms(start);

  const changed = dotenv('KEY');
  start = process.hrtime.bigint();
  const second = await authorizedPreviewImport(target, { format: 'env', text: changed });
  const overwrite = second.rows.map((r) => ({ environment: r.environment!, key: r.key }));
  const previewChangedMs = ms(start);
  start = process.hrtime.bigint();
  const updated = await authorizedApplyImport(actor, target, { format: 'env', text: changed }, second.id, overwrite);
  const overwriteMs = ms(start);

  console.log(
    JSON.stringify({
      keys: N,
      textBytes: Buffer.byteLength(text),
      baselineMs: baseline,
      previewMs,
      applyMs,
      created: applied.created,
      previewChangedMs,
      overwriteMs,
      updated: updated.updated,
    }),
  );
}

main()
  .then(() => db.$disconnect())
  .catch((error) => {
    console.error(error);
    process.exit(1);
  });
