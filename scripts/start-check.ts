// `npm start` runs this before `next build`: the same runtime-secret and master
// key check as server.ts, so a configuration that cannot serve is refused in one
// line at once (`[keyhold] Refusing to start: …`, exit 1) instead of after a
// full build. An account whose second-factor secret fails its integrity check is
// a warning line, not a refusal.
import { resolveRuntimeSecrets } from '../lib/runtime-secrets';

const dev = process.argv.includes('--dev');
const problem = resolveRuntimeSecrets(!dev && process.env.NODE_ENV === 'production');
if (problem) {
  console.error(`[keyhold] ${problem}`);
  process.exit(1);
}

async function main(): Promise<never> {
  // Imported only now: lib/ reads its configuration on import, after resolveRuntimeSecrets above.
  const { missingDatabase } = await import('../lib/env');
  const noDatabase = missingDatabase();
  if (noDatabase) {
    console.error(`[keyhold] Refusing to start: ${noDatabase}`);
    process.exit(1);
  }
  const { startCheckLines } = await import('../lib/keys/master');
  const { refusal, warnings } = await startCheckLines();
  for (const line of refusal ? [refusal] : warnings) console.error(line);
  process.exit(refusal ? 1 : 0);
}

main().catch((error: unknown) => {
  const e = error instanceof Error ? error : new Error(String(error));
  console.error(`[keyhold] Refusing to start: ${e.message.split('\n')[0]}`);
  process.exit(1);
});
