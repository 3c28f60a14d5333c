import { describe, expect, it } from 'vitest';
import { parseArgs } from '../cli/args.mjs';
import { describeError, EXIT, isUnreachable, UsageError } from '../cli/errors.mjs';
import { KeyholdError } from '../client/index.mjs';

const usage = (argv: string[]) => {
  try {
    parseArgs(argv);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error(`expected a usage error for ${JSON.stringify(argv)}`);
};

describe('keyhold argument parsing', () => {
  it('reads global options before and after the command, in both spellings', () => {
    expect(parseArgs(['--url', 'http://a', 'pull', '--token=kh_x'])).toMatchObject({
      command: 'pull',
      url: 'http://a',
      token: 'kh_x',
      options: {},
      positionals: [],
    });
    expect(parseArgs(['export', '--url=http://b', '--format', 'json'])).toMatchObject({
      command: 'export',
      url: 'http://b',
      options: { format: 'json' },
    });
  });

  it('takes everything after -- (or after the first word) as the command of run, options included', () => {
    expect(parseArgs(['run', '--', 'node', '-e', 'x', '--help'])).toMatchObject({
      command: 'run',
      help: false,
      commandArgv: ['node', '-e', 'x', '--help'],
    });
    expect(parseArgs(['run', '--keep-token', 'node', 'server.js', '--port', '3000'])).toMatchObject({
      options: { 'keep-token': true },
      commandArgv: ['node', 'server.js', '--port', '3000'],
    });
    expect(parseArgs(['run', '--', '--weird-command-name'])).toMatchObject({ commandArgv: ['--weird-command-name'] });
  });

  it('gives --env-file-fallback an optional value, only with =', () => {
    expect(parseArgs(['run', '--env-file-fallback', '--', 'true']).options).toEqual({ 'env-file-fallback': true });
    expect(parseArgs(['run', '--env-file-fallback=.env.local', '--', 'true']).options).toEqual({ 'env-file-fallback': '.env.local' });
    // Without "=", the next word is the command, not the file.
    expect(parseArgs(['run', '--env-file-fallback', 'node', 'x.js'])).toMatchObject({
      options: { 'env-file-fallback': true },
      commandArgv: ['node', 'x.js'],
    });
    expect(usage(['run', '--env-file-fallback=', '--', 'true'])).toMatch(/needs a file name/);
  });

  it('reads pull, import and export options', () => {
    expect(parseArgs(['pull', '-o', 'local.env', '-f'])).toMatchObject({ options: { out: 'local.env', force: true } });
    expect(parseArgs(['pull', '--out=x.env'])).toMatchObject({ options: { out: 'x.env' } });
    expect(parseArgs(['import', 'vtex.env', '--overwrite', '--plan'])).toMatchObject({
      positionals: ['vtex.env'],
      options: { overwrite: true, plan: true },
    });
    expect(parseArgs(['import', '--', '--odd-file-name.env'])).toMatchObject({ positionals: ['--odd-file-name.env'] });
    expect(parseArgs(['import', 'secrets', '--format', 'json'])).toMatchObject({ options: { format: 'json' } });
  });

  it('answers --help and --version without checking the rest', () => {
    expect(parseArgs(['--help'])).toMatchObject({ help: true, command: null });
    expect(parseArgs(['pull', '-h'])).toMatchObject({ help: true, command: 'pull' });
    expect(parseArgs(['run', '--help'])).toMatchObject({ help: true, command: 'run', commandArgv: [] });
    expect(parseArgs(['import', '--help'])).toMatchObject({ help: true });
    expect(parseArgs(['-V'])).toMatchObject({ version: true });
    expect(parseArgs(['help', 'run'])).toMatchObject({ command: 'help', positionals: ['run'] });
    expect(parseArgs([])).toMatchObject({ command: null, help: false });
  });

  it('refuses what it does not understand, with a pointer to the help', () => {
    expect(usage(['destroy'])).toBe('unknown command "destroy". Commands: run, pull, import, export, deploy. See keyhold --help.');
    expect(usage(['pull', '--overwrite'])).toBe('unknown option --overwrite for keyhold pull. See keyhold pull --help.');
    expect(usage(['--force', 'pull'])).toMatch(/unknown option --force for keyhold \(it belongs after the command name\)/);
    expect(usage(['run'])).toMatch(/needs a command to start/);
    expect(usage(['run', '--'])).toMatch(/needs a command to start/);
    expect(usage(['import'])).toMatch(/needs a file/);
    expect(usage(['import', 'a.env', 'b.env'])).toMatch(/takes one file \(got 2\)/);
    expect(usage(['export', 'extra'])).toMatch(/takes no arguments/);
    expect(usage(['export', '--format', 'yaml'])).toBe('--format must be one of dotenv, json (got "yaml").');
    expect(usage(['pull', '--out'])).toMatch(/--out needs a value/);
    expect(usage(['pull', '--out', '--force'])).toMatch(/--out needs a value/);
    expect(usage(['pull', '--force=yes'])).toMatch(/--force does not take a value/);
    expect(usage(['--url'])).toMatch(/--url needs a value/);
  });
});

describe('one line per error', () => {
  const line = (code: string, status: number, extra: { fields?: Record<string, string>; retryAfter?: number } = {}, command = 'pull') =>
    describeError(new KeyholdError(code, `server says ${code}`, status, extra), { command });

  it.each([
    ['missing_token', 401, 'the server received no token (missing_token). Set KEYHOLD_TOKEN or pass --token.'],
    ['invalid_token', 401, 'the token is not valid for this server (invalid_token). Check KEYHOLD_TOKEN and KEYHOLD_URL; tokens start with kh_.'],
    ['token_expired', 401, 'the token has expired (token_expired). Create a new one in Settings → Tokens.'],
    ['token_revoked', 401, 'the token was revoked (token_revoked). Create a new one in Settings → Tokens.'],
    ['not_deployed', 404, "the token's environment has no successful deployment yet (not_deployed). Deploy it in Keyhold first."],
    ['secret_not_found', 404, 'server says secret_not_found (secret_not_found).'],
    ['not_found', 404, 'server says not_found (not_found). Check KEYHOLD_URL.'],
    ['method_not_allowed', 405, 'the server does not accept this request (method_not_allowed). Is KEYHOLD_URL a Keyhold server of the same version?'],
    ['conflict', 409, 'server says conflict (conflict). Try again.'],
    ['payload_too_large', 413, 'the request is too large for the server (payload_too_large). Secret values are limited to 64 KiB.'],
    [
      'unsupported_media_type',
      415,
      'the server could not read the request (unsupported_media_type): server says unsupported_media_type. This is a bug in keyhold; please report it.',
    ],
    ['invalid_json', 400, 'the server could not read the request (invalid_json): server says invalid_json. This is a bug in keyhold; please report it.'],
    ['internal_error', 500, "the Keyhold server failed (internal_error). Try again; if it keeps failing, check the server's log."],
    ['brand_new_code', 418, 'server says brand_new_code (brand_new_code, HTTP 418).'],
  ])('%s (HTTP %i) → exit 2 and one line', (code, status, expected) => {
    const described = line(code, status);
    expect(described).toEqual({ line: expected, exitCode: EXIT.API });
    expect(described.line).not.toContain('\n');
  });

  it('says which command needs a read-write token', () => {
    expect(line('insufficient_scope', 403, {}, 'import').line).toBe(
      'this token is read-only (insufficient_scope): keyhold import needs a read-write token. Create one in Settings → Tokens.',
    );
  });

  it('lists field messages of a 422 and the wait of a 429', () => {
    expect(line('validation_failed', 422, { fields: { name: 'Secret key is required' } }).line).toBe(
      'server says validation_failed (validation_failed) [name: Secret key is required].',
    );
    expect(line('rate_limited', 429, { retryAfter: 7 }).line).toBe('too many requests for this token or address (rate_limited). Try again in 7 s.');
  });

  it('exits 3 for network trouble and 1 for configuration', () => {
    expect(describeError(new KeyholdError('network_error', 'Cannot reach http://127.0.0.1:9 (ECONNREFUSED)', 0))).toEqual({
      line: 'cannot reach http://127.0.0.1:9 (ECONNREFUSED). Check KEYHOLD_URL and that the server is running.',
      exitCode: EXIT.NETWORK,
    });
    expect(describeError(new KeyholdError('timeout', 'GET x got no answer within 10 ms', 0)).exitCode).toBe(EXIT.NETWORK);
    expect(describeError(new KeyholdError('not_configured', 'No Keyhold URL', 0)).exitCode).toBe(EXIT.USAGE);
    expect(describeError(new UsageError('bad'))).toEqual({ line: 'bad', exitCode: EXIT.USAGE });
  });

  it('says how to trust a private CA when the certificate is not trusted, and only then', () => {
    const untrusted = [
      'DEPTH_ZERO_SELF_SIGNED_CERT',
      'SELF_SIGNED_CERT_IN_CHAIN',
      'UNABLE_TO_GET_ISSUER_CERT',
      'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
      'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
    ];
    for (const code of untrusted) {
      expect(describeError(new KeyholdError('network_error', `Cannot reach https://keyhold.internal (${code})`, 0))).toEqual({
        line: `cannot reach https://keyhold.internal (${code}). Check KEYHOLD_URL; if your own CA signed the server's certificate, export NODE_EXTRA_CA_CERTS=/path/to/ca.pem.`,
        exitCode: EXIT.NETWORK,
      });
    }
    // An expired certificate or a wrong host name is not a missing CA.
    for (const code of ['CERT_HAS_EXPIRED', 'ERR_TLS_CERT_ALTNAME_INVALID']) {
      expect(describeError(new KeyholdError('network_error', `Cannot reach https://keyhold.internal (${code})`, 0)).line).toBe(
        `cannot reach https://keyhold.internal (${code}). Check KEYHOLD_URL and that the server is running.`,
      );
    }
  });

  it('falls back to the .env file only when Keyhold cannot be reached', () => {
    expect(isUnreachable(new KeyholdError('network_error', 'x', 0))).toBe(true);
    expect(isUnreachable(new KeyholdError('timeout', 'x', 0))).toBe(true);
    expect(isUnreachable(new KeyholdError('bad_response', 'x', 503))).toBe(true);
    for (const code of ['invalid_token', 'token_revoked', 'token_expired', 'insufficient_scope', 'not_deployed', 'internal_error', 'rate_limited']) {
      expect(isUnreachable(new KeyholdError(code, 'x', 401))).toBe(false);
    }
    expect(isUnreachable(new KeyholdError('bad_response', 'x', 200))).toBe(false);
    expect(isUnreachable(new Error('boom'))).toBe(false);
  });
});
