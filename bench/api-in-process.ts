// In-process getSecret on a warm cache (run by bench/api.mjs with tsx against
// its seeded database; not meant to be run alone). Prints one JSON line:
// { usPerCall, batches: [...] } — microseconds per awaited call, median of batches.
import { keyhold } from '@/lib/api/in-process';
import { liveStats } from '@/lib/deploys/live';

const BATCH = 200_000;
const BATCHES = 5;

async function main() {
  const [projectId, environmentId, key] = process.argv.slice(2);
  const secrets = keyhold({ projectId, environmentId });
  for (let i = 0; i < 20_000; i++) await secrets.getSecret(key); // warm: one decryption, then cache hits
  const decrypts = liveStats.decrypts;
  const batches: number[] = [];
  let sink = 0;
  for (let b = 0; b < BATCHES; b++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < BATCH; i++) sink += (await secrets.getSecret(key)).length;
    batches.push(Number(process.hrtime.bigint() - start) / 1000 / BATCH);
  }
  if (liveStats.decrypts !== decrypts) throw new Error('a warm getSecret decrypted');
  const sorted = [...batches].sort((a, b) => a - b);
  console.log(JSON.stringify({ usPerCall: sorted[Math.floor(sorted.length / 2)], batches, sink: sink > 0, liveReads: liveStats.liveReads }));
  process.exit(0);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
