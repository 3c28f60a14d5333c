// `keyhold --help`, `<command> --help`, `--version` and usage errors, through
// the real executable (no server needed).
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI_VERSION } from '../cli/version.mjs';
import { VERSION as CLIENT_VERSION } from '../client/index.mjs';
import { CLI, runCli } from './support/cli-run';

const pkg = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../package.json'), 'utf8')) as { version: string };

describe('keyhold help and version', () => {
  it('is an executable with a node shebang', () => {
    expect(fs.readFileSync(CLI, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
    expect(fs.statSync(CLI).mode & 0o111).not.toBe(0);
  });

  it('--version prints the package version (the client reports the same)', async () => {
    expect(await runCli(['--version'])).toMatchObject({ code: 0, stdout: `keyhold ${pkg.version}\n`, stderr: '' });
    expect(CLI_VERSION).toBe(pkg.version);
    expect(CLIENT_VERSION).toBe(pkg.version);
  });

  it('--help lists the commands, the configuration and the exit codes', async () => {
    const { code, stdout, stderr } = await runCli(['--help']);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    for (const text of ['keyhold run', 'keyhold pull', 'keyhold import', 'keyhold export', 'KEYHOLD_URL', 'KEYHOLD_TOKEN', 'Exit codes:']) {
      expect(stdout).toContain(text);
    }
  });

  it.each([
    ['run', 'Usage: keyhold run'],
    ['pull', 'Usage: keyhold pull'],
    ['import', 'Usage: keyhold import'],
    ['export', 'Usage: keyhold export'],
  ])('%s --help and help %s', async (command, usage) => {
    const viaFlag = await runCli([command, '--help']);
    expect(viaFlag.code).toBe(0);
    expect(viaFlag.stdout.startsWith(usage)).toBe(true);
    expect(await runCli(['help', command])).toEqual(viaFlag);
  });

  it('without a command, prints the help on stderr and exits 1', async () => {
    const result = await runCli([]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('Usage:');
  });

  it('answers a usage error with one line and exit 1', async () => {
    expect(await runCli(['pull', '--overwrite'])).toEqual({
      code: 1,
      signal: null,
      stdout: '',
      stderr: 'keyhold: unknown option --overwrite for keyhold pull. See keyhold pull --help.\n',
    });
    expect(await runCli(['help', 'destroy'])).toMatchObject({
      code: 1,
      stderr: 'keyhold: no help for "destroy". Commands: run, pull, import, export, deploy.\n',
    });
  });
});
