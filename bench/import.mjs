#!/usr/bin/env node
// Import target (issue 12), on a throwaway database:
//
//   apply an import of 1,000 new keys (one transaction, one audit event)   ≤ 1 s
//
//   node bench/import.mjs [--keys 1000] [--postgres]
//
// Beside it, in the same run: the baseline (the same keys added one by one
// through the Add dialog's path, authorizedCreateSecret), the preview, and an apply
// that overwrites all of them. Times are wall clock inside one process
// (bench/import-work.ts), after migrations; the machine is shared, so the
// load average is printed with them. Exits 1 when the target is missed.
import os from 'node:os';
import { arg, createHarness, lastJsonLine } from './harness.mjs';

const KEYS = arg('keys', 1000);
const TARGET_MS = 1000;
const postgres = process.argv.includes('--postgres');
const harness = await createHarness({ name: 'import', deadlineMs: 10 * 60_000, postgres });

await harness.runNode(['scripts/migrate.mjs', 'apply']);
const r = lastJsonLine(await harness.runNode(['--import', 'tsx', 'bench/import-work.ts', String(KEYS)]));

const f = (n) => `${Math.round(n)} ms`;
console.log(
  `Import of ${r.keys} keys (${(r.textBytes / 1024).toFixed(0)} KiB of .env) on ${postgres ? 'PostgreSQL' : 'SQLite'}; load ${os.loadavg()[0].toFixed(2)}`,
);
console.log(`  baseline: ${r.keys} × Add Secret (authorizedCreateSecret)   ${f(r.baselineMs)}`);
console.log(`  preview (new keys)                            ${f(r.previewMs)}`);
console.log(`  apply ${r.created} new keys                          ${f(r.applyMs)}   target ≤ ${TARGET_MS} ms`);
console.log(`  preview (changed keys)                        ${f(r.previewChangedMs)}`);
console.log(`  apply, overwriting ${r.updated} keys              ${f(r.overwriteMs)}`);
const ok = r.applyMs <= TARGET_MS && r.created === KEYS && r.updated === KEYS;
console.log(ok ? 'OK' : 'MISSED');
process.exit(ok ? 0 : 1);
