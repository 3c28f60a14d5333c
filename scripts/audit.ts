// `npm run audit -- verify [slug]` (README "The audit chain"): recomputes the
// audit chains of every project (and of the events without a project), or of
// one project, and names the first event that was altered, deleted, reordered
// or written around Keyhold. Exit code 1 when a chain fails.
import { resolveRuntimeSecrets } from '../lib/runtime-secrets';

const USAGE = 'usage: npm run audit -- verify [project-slug]';
const [verb, ...rest] = process.argv.slice(2);

async function main(): Promise<never> {
  const { runCommand, plural } = await import('../lib/keys/terminal');
  const { KeysError } = await import('../lib/keys/batches');

  return runCommand('audit', async () => {
    if (verb !== 'verify' || rest.length > 1) throw new KeysError(USAGE);
    const problem = resolveRuntimeSecrets(process.env.NODE_ENV === 'production');
    if (problem) throw new KeysError(problem);
    const { missingDatabase } = await import('../lib/env');
    const noDatabase = missingDatabase();
    if (noDatabase) throw new KeysError(noDatabase);
    const { db } = await import('../lib/db');
    const { GLOBAL_CHAIN } = await import('../lib/audit/chain');
    const { verifyChain } = await import('../lib/audit/verify');

    const projects = await db.project.findMany({
      where: rest[0] ? { slug: rest[0] } : {},
      orderBy: { slug: 'asc' },
      select: { id: true, slug: true },
    });
    if (rest[0] && projects.length === 0) throw new KeysError(`No project with the slug ${rest[0]}`);
    const chains = [...projects.map((p) => ({ id: p.id, name: p.slug })), ...(rest[0] ? [] : [{ id: GLOBAL_CHAIN, name: '(events without a project)' }])];
    let failed = 0;
    for (const chain of chains) {
      const result = await verifyChain(chain.id);
      if (result.ok) console.log(`${chain.name}: ${plural(result.checked, 'event')} verified`);
      else {
        failed++;
        console.log(`${chain.name}: FAILED after ${plural(result.checked, 'good event')}: ${result.firstBad!.message}`);
      }
    }
    if (failed) throw new KeysError(`audit verification failed: ${plural(failed, 'chain')} broken`);
    console.log(`Every audit chain verified (${plural(chains.length, 'chain')}).`);
    return true;
  });
}

void main();
