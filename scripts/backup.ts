// `npm run backup -- <file>`, `npm run backup -- --verify <file>` and
// `npm run restore -- <file>` (this script with --restore). README "Keys and backups".
import { resolveRuntimeSecrets } from '../lib/runtime-secrets';

const argv = process.argv.slice(2);
const mode = argv[0] === '--verify' ? 'verify' : argv[0] === '--restore' ? 'restore' : 'backup';
// `--force` (backup only): overwrite an existing file.
const force = mode === 'backup' && argv.includes('--force');
const args = force ? argv.filter((a) => a !== '--force') : argv;
const file = mode === 'backup' ? args[0] : args[1];
const expected = mode === 'backup' ? 1 : 2;
const name = mode === 'restore' ? 'restore' : 'backup';
const USAGE = mode === 'restore' ? 'usage: npm run restore -- <file>' : 'usage: npm run backup -- [--force] <file> | npm run backup -- --verify <file>';

async function main(): Promise<never> {
  const { runCommand, terminalProgress, plural, count } = await import('../lib/keys/terminal');
  const { KeysError, listed } = await import('../lib/keys/batches');
  const { createBackup, verifyBackup, restoreBackup, decryptsEverything } = await import('../lib/backup/backup');

  return runCommand(name, async () => {
    if (!file || file.startsWith('--') || args.length !== expected) throw new KeysError(USAGE);
    const problem = resolveRuntimeSecrets(process.env.NODE_ENV === 'production');
    if (problem) throw new KeysError(problem);

    if (mode === 'backup') {
      const progress = terminalProgress();
      const manifest = await createBackup(file, progress, { force });
      progress.end();
      const rows = Object.entries(manifest.rowCounts)
        .filter(([, n]) => n > 0)
        .map(([table, n]) => `${table} ${count(n)}`);
      console.log(`Backup written to ${file} (${count(manifest.payload.bytes)} bytes of ${manifest.provider}, migration ${manifest.migration ?? 'none'}).`);
      console.log(`Rows: ${rows.join(', ') || 'none'}.`);
      const needs = manifest.masterKeyVersions.length ? `master key version ${listed(manifest.masterKeyVersions)}` : 'no master key (no project yet)';
      console.log(`A restore needs ${needs}. The backup holds only ciphertext: keep it apart from the master key.`);
      return true;
    }

    const check = mode === 'verify' ? await verifyBackup(file) : await restoreBackup(file);
    const { manifest, verification } = check;
    const { failedBlobs } = await import('../lib/keys/verify'); // only now: it binds the database client (see lib/backup/backup.ts)
    if (mode === 'restore') console.log(`Restored ${file} (Keyhold ${manifest.keyholdVersion}, ${manifest.createdAt}) into the empty database.`);
    else console.log(`${file}: checksums match (Keyhold ${manifest.keyholdVersion}, ${manifest.createdAt}, migration ${manifest.migration ?? 'none'}).`);
    const differing = Object.entries(manifest.rowCounts).filter(([table, n]) => check.rowCounts[table] !== n);
    for (const [table, n] of differing) console.log(`  ${table}: the manifest says ${count(n)} rows, the database has ${count(check.rowCounts[table] ?? 0)}`);
    const failed = failedBlobs(verification);
    for (const label of failed) console.log(`  integrity check failed: ${label}`);
    if (!decryptsEverything(check) || differing.length) {
      throw new KeysError(
        `${mode === 'restore' ? 'the restored database' : 'the backup'} failed verification: ${plural(failed.length, 'integrity failure')}, ${plural(differing.length, 'table')} with other row counts`,
      );
    }
    console.log(`Every project key and all ${plural(verification.blobs, 'blob')} decrypt with the configured master keys.`);
    return true;
  });
}

void main();
