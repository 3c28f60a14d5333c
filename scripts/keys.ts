// `npm run keys -- status | rotate-master | rotate-project <slug> | verify`
// (README "Keys and backups"). Works on the database of DATABASE_URL with the
// master keys of KEYHOLD_MASTER_KEY, while the app keeps serving.
import { resolveRuntimeSecrets } from '../lib/runtime-secrets';

const USAGE = 'usage: npm run keys -- status | rotate-master | rotate-project <slug> | verify';
const [verb, ...rest] = process.argv.slice(2);

async function main(): Promise<never> {
  const { runCommand, terminalProgress, plural, count } = await import('../lib/keys/terminal');
  const { KeysError, listed } = await import('../lib/keys/batches');

  return runCommand('keys', async () => {
    const problem = resolveRuntimeSecrets(process.env.NODE_ENV === 'production');
    if (problem) throw new KeysError(problem);
    // Opening a SQLite file that is not there would create an empty database.
    const { missingDatabase } = await import('../lib/env');
    const noDatabase = missingDatabase();
    if (noDatabase) throw new KeysError(noDatabase);
    const expectArgs = (n: number) => {
      if (rest.length !== n) throw new KeysError(USAGE);
    };
    const progress = terminalProgress();

    switch (verb) {
      case 'status': {
        expectArgs(0);
        const { keyStatus } = await import('../lib/keys/status');
        const status = await keyStatus();
        console.log(`Master key versions configured: ${status.configured.join(', ')} (version ${status.newest} wraps new keys)`);
        const versions = [...new Set([...status.configured, ...status.wrapsByVersion.keys(), ...status.secondFactorsByVersion.keys()])].sort((a, b) => a - b);
        for (const v of versions) {
          const note = status.configured.includes(v) ? '' : ' (not configured)';
          console.log(`  version ${v}${note}: wraps ${plural(status.wrapsByVersion.get(v) ?? 0, 'project key')}`);
          const secondFactors = status.secondFactorsByVersion.get(v) ?? 0;
          if (secondFactors > 0) console.log(`  version ${v}${note}: wraps ${plural(secondFactors, 'second-factor secret')}`);
        }
        console.log(status.projects.length ? 'Projects (data key versions, encryptions):' : 'No projects yet.');
        for (const p of status.projects) {
          const newest = p.keys[p.keys.length - 1]?.version;
          const keys = p.keys.map((k) => `v${k.version} ${k.version === newest ? 'current' : 'retired'}, ${plural(k.encryptions, 'encryption')}`);
          console.log(`  ${p.slug}: ${keys.join('; ')}`);
        }
        if (status.unreadable.length === 0) {
          console.log(`Every project key${status.secondFactorsByVersion.size ? ' and second-factor secret' : ''} unwraps with the configured master keys.`);
          return true;
        }
        console.log('Cannot unwrap with the configured master keys:');
        for (const u of status.unreadable) console.log(`  ${u.owner}: ${u.labels.join(', ')}`);
        if (status.missing.length) console.log(`Missing master key version ${listed(status.missing)}: add it to KEYHOLD_MASTER_KEY.`);
        // The one line on stderr, as the server's refusal words it.
        const { describeUnreadable } = await import('../lib/keys/master');
        throw new KeysError(describeUnreadable(status.unreadableBlobs));
      }
      case 'rotate-master': {
        expectArgs(0);
        const { rotateMaster } = await import('../lib/keys/master');
        const result = await rotateMaster(progress);
        progress.end();
        console.log(`Every project key is wrapped under master key version ${result.version} (${plural(result.rewrapped, 'key')} re-wrapped by this run).`);
        if (result.secondFactors > 0) {
          console.log(
            `Every account second-factor secret is wrapped under master key version ${result.version} too (${plural(result.rewrappedSecondFactors, 'secret')} re-wrapped by this run).`,
          );
        }
        if (result.fingerprints > 0) console.log(`${plural(result.fingerprints, 'value fingerprint')} recomputed under master key version ${result.version}.`);
        if (result.unneeded.length) {
          const v = listed(result.unneeded);
          console.log(`Master key version ${v} ${result.unneeded.length === 1 ? 'is' : 'are'} no longer needed and can be removed from KEYHOLD_MASTER_KEY.`);
        }
        return true;
      }
      case 'rotate-project': {
        expectArgs(1);
        const { findProject, rotateProject } = await import('../lib/keys/rotate-project');
        const project = await findProject(rest[0]);
        const result = (await rotateProject(project, { progress }))!;
        progress.end();
        const what = result.resumed ? `Resumed the rotation of project ${project.slug} to` : `Project ${project.slug} rotated to`;
        console.log(`${what} data key version ${result.version}: ${plural(result.reencrypted, 'blob')} re-encrypted by this run.`);
        if (result.unreadable.length) {
          const one = result.unreadable.length === 1;
          throw new KeysError(
            `${plural(result.unreadable.length, 'blob')} failed the integrity check and stayed as ${one ? 'it was' : 'they were'}: ${result.unreadable.join(', ')}`,
          );
        }
        console.log(`Run \`npm run keys -- verify\` to destroy the retired data key versions.`);
        return true;
      }
      case 'verify': {
        expectArgs(0);
        const { verifyKeys, verificationPassed } = await import('../lib/keys/verify');
        const v = await verifyKeys({ destroyRetired: true, progress });
        progress.end();
        for (const failure of v.masterFailures) console.log(`Cannot unwrap with the configured master keys: ${failure}`);
        for (const p of v.projects) {
          const versions = [...p.blobsByVersion].sort(([a], [b]) => a - b).map(([ver, n]) => `${count(n)} under v${ver}`);
          let line = `${p.slug}: ${versions.length ? versions.join(', ') : 'no blobs'}`;
          if (p.destroyed.length) line += `; retired data key version ${listed(p.destroyed)} destroyed`;
          if (p.stale) line += `; ${plural(p.stale, 'blob')} still under a retired version: run \`npm run keys -- rotate-project ${p.slug}\``;
          else if (p.retired.length && !p.failures.length) line += `; retired version ${listed(p.retired)} kept (written to meanwhile): run verify again`;
          console.log(line);
          for (const failure of p.failures) console.log(`  integrity check failed: ${failure}`);
        }
        if (!verificationPassed(v)) {
          const failures = v.masterFailures.length + v.projects.reduce((n, p) => n + p.failures.length, 0);
          const stale = v.projects.reduce((n, p) => n + p.stale, 0);
          throw new KeysError(`verification failed: ${plural(failures, 'integrity failure')}, ${plural(stale, 'blob')} under retired key versions`);
        }
        console.log(`Verified ${plural(v.blobs, 'blob')}: every one is under its project's current data key and passes its integrity check.`);
        return true;
      }
      default:
        throw new KeysError(USAGE);
    }
  });
}

void main();
