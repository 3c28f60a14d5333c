// The timed work of bench/audit.mjs, in its own process with that run's
// database (not meant to be run alone). One verb per run; prints one JSON line.
//   seed <n>             seedAuditEvents(n) (bench/audit-seed.ts)
//   verify <projectId>   verifyAuditChain() timed, --runs times
import { performance } from 'node:perf_hooks';
import { verifyAuditChain } from '@/lib/audit/verify';
import { seedAuditEvents } from './audit-seed';

const [verb, arg, runs = '3'] = process.argv.slice(2);
const print = (result: object) => console.log(JSON.stringify(result));

async function main() {
  switch (verb) {
    case 'seed': {
      const t = performance.now();
      const seeded = await seedAuditEvents(Number(arg));
      print({ ...seeded, seedMs: Math.round(performance.now() - t) });
      break;
    }
    case 'verify': {
      const times: number[] = [];
      const cpu: number[] = [];
      let checked = 0;
      for (let i = 0; i < Number(runs); i++) {
        const t = performance.now();
        const c = process.cpuUsage();
        const result = await verifyAuditChain(arg);
        times.push(performance.now() - t);
        const used = process.cpuUsage(c);
        cpu.push((used.user + used.system) / 1000);
        if (!result.ok) throw new Error(`the seeded chain failed: ${result.firstBad?.message}`);
        checked = result.checked;
      }
      print({ checked, times, cpu });
      break;
    }
    default:
      throw new Error(`unknown verb ${verb}`);
  }
  process.exit(0);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
