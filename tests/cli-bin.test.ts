// The `keyhold` bin (cli/bin.cjs) runs the one-file bundle only while it is
// newer than every CLI source, and the sources otherwise: an edited or
// freshly pulled source is never shadowed by an old bundle.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '..');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keyhold-bin-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const run = (bin: string, args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });

describe('cli/bin.cjs', () => {
  it('runs the bundle while it is fresh, and the sources once a source is newer', () => {
    // A copy of the CLI whose "bundle" says which one ran.
    fs.cpSync(path.join(root, 'cli'), path.join(dir, 'cli'), { recursive: true, filter: (src) => !src.includes(`${path.sep}dist`) });
    fs.cpSync(path.join(root, 'client'), path.join(dir, 'client'), { recursive: true });
    fs.symlinkSync(path.join(root, 'node_modules'), path.join(dir, 'node_modules'));
    const bundle = path.join(dir, 'cli/dist/keyhold.cjs');
    fs.mkdirSync(path.dirname(bundle));
    fs.writeFileSync(bundle, "process.stdout.write('bundle ' + process.argv.slice(2).join(' '));");
    const bin = path.join(dir, 'cli/bin.cjs');
    const past = new Date(Date.now() - 60_000);
    for (const file of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
      if (file.isFile() && !file.parentPath.includes('node_modules')) fs.utimesSync(path.join(file.parentPath, file.name), past, past);
    }
    fs.utimesSync(bundle, new Date(), new Date());
    expect(run(bin, ['--version']).stdout).toBe('bundle --version');

    fs.utimesSync(path.join(dir, 'cli/commands/run.mjs'), new Date(Date.now() + 1000), new Date(Date.now() + 1000));
    expect(run(bin, ['--version']).stdout).toBe('keyhold 0.1.0\n');

    fs.rmSync(bundle);
    expect(run(bin, ['--version']).stdout).toBe('keyhold 0.1.0\n');
  });

  it('the real bundle answers as the sources do', () => {
    if (spawnSync(process.execPath, ['scripts/build-cli.mjs'], { cwd: root }).status !== 0) throw new Error('scripts/build-cli.mjs failed');
    for (const args of [['--version'], ['--help'], ['run', '--help'], ['nonsense']]) {
      const fromBundle = run(path.join(root, 'cli/dist/keyhold.cjs'), args);
      const fromSources = run(path.join(root, 'cli/keyhold.mjs'), args);
      expect({ status: fromBundle.status, stdout: fromBundle.stdout, stderr: fromBundle.stderr }).toEqual({
        status: fromSources.status,
        stdout: fromSources.stdout,
        stderr: fromSources.stderr,
      });
    }
  });
});
