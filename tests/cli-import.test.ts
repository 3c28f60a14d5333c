import { describe, expect, it } from 'vitest';
import dotenv from 'dotenv';
import { detectFormat, ImportFileError } from '../cli/import-file.mjs';
import { AppError } from '@/lib/errors';
import { parseImport } from '@/lib/imports/parse';
import { keyProblem, valueProblem } from '@/lib/secrets/rules.mjs';
import { formatOfFileName, IMPORT_MESSAGES, looksLikeDotenv } from '@/lib/imports/schemas';
import { createSecretSchema, MESSAGES, publicCredentialProblem } from '@/lib/secrets/schemas';

// Reading imports: the CLI only picks the format from the file name; the
// server (lib/imports/parse.ts, used by the dialog and /api/v1/imports) reads
// the text with dotenv itself and checks keys with the UI's schemas.

describe('import file format', () => {
  it.each([
    ['.env', 'env'],
    ['vtex.env', 'env'],
    ['config/prod.env', 'env'],
    ['.env.local', 'env'],
    ['.env.production', 'env'],
    ['secrets.revealed.json', 'json'],
    ['C:\\exports\\SECRETS.JSON', 'json'],
  ])('%s is read as %s', (file, format) => {
    expect(detectFormat(file, undefined)).toBe(format);
    expect(formatOfFileName(file)).toBe(format);
  });

  it('asks for --format when the name does not say, and obeys it', () => {
    expect(() => detectFormat('secrets.txt', undefined)).toThrow(ImportFileError);
    expect(() => detectFormat('environment', undefined)).toThrow(/pass --format env or --format json/);
    expect(detectFormat('secrets.txt', 'json')).toBe('json');
    expect(detectFormat('x.json', 'env')).toBe('env');
    expect(detectFormat('x', 'dotenv')).toBe('env');
  });
});

describe('import key and value rules', () => {
  // Every key and value is judged by the UI's own schema; keys are not trimmed (" FOO" is reported, not renamed).
  const keys = [
    'API_KEY',
    'a',
    '_',
    '_1',
    'lower_case',
    'MiXeD',
    'A'.repeat(256),
    'A'.repeat(257),
    '1ABC',
    '9',
    'WITH-DASH',
    'WITH.DOT',
    'WITH SPACE',
    'ÜMLAUT',
    'KEYHOLD_X',
    'keyhold_x',
    'Keyhold_Anything',
    'KEYHOLD',
    'KEYHOLDX',
    'XKEYHOLD_',
    '',
    '__proto__',
    'constructor',
    'toString',
    'emoji🎉',
    'LONE_\ud800',
    '\udc00',
    'A'.repeat(256) + '\ud800',
  ];
  it.each(keys)('key %j: same verdict as the server', (key) => {
    const server = createSecretSchema.safeParse({ key, value: 'v', type: 'OTHER' });
    const serverReason = server.success ? null : (server.error.issues.find((i) => i.path[0] === 'key')?.message ?? null);
    expect(keyProblem(key)).toBe(serverReason);
  });

  it('does not trim keys: spaces around a key break its pattern', () => {
    expect(keyProblem(' FOO')).toBe(MESSAGES.keyPattern);
    expect(keyProblem('FOO ')).toBe(MESSAGES.keyPattern);
  });

  const values = ['', 'x', ' ', 'x'.repeat(64 * 1024), 'x'.repeat(64 * 1024 + 1), 'é'.repeat(32 * 1024 + 1), '🎉'.repeat(16 * 1024), 'x\ud800'];
  it.each(values.map((v) => [v.length, v]))('value of %i characters: same verdict as the server', (_, value) => {
    const server = createSecretSchema.safeParse({ key: 'K', value, type: 'OTHER' });
    const serverReason = server.success ? null : (server.error.issues.find((i) => i.path[0] === 'value')?.message ?? null);
    expect(valueProblem(value)).toBe(serverReason);
  });
});

describe('reading import text', () => {
  it('reads .env (and vtex.env) exactly as dotenv does: quotes, export, comments, multi-line, CRLF', () => {
    const text = [
      '# exported from the old vault',
      'STRIPE_API_KEY=sk_live_abc',
      'export DATABASE_URL="postgres://u:p@h/db"',
      "PEM='-----BEGIN KEY-----",
      'abc',
      "-----END KEY-----'",
      'SPACED = "  kept  "   # comment',
      'ESCAPED="a\\nb"',
      'HASH=abc#not a comment?',
      'BACKTICK=`x "y" \'z\'`',
      '',
    ].join('\r\n');
    const parsed = parseImport('env', text);
    const expected = dotenv.parse(text);
    expect(Object.fromEntries(parsed.entries.map((e) => [e.key, e.value]))).toEqual(expected);
    expect(parsed.entries.map((e) => [e.key, e.line])).toEqual([
      ['STRIPE_API_KEY', 2],
      ['DATABASE_URL', 3],
      ['PEM', 4],
      ['SPACED', 7],
      ['ESCAPED', 8],
      ['HASH', 9],
      ['BACKTICK', 10],
    ]);
    expect(parsed.invalid).toEqual([]);
    expect(parsed.duplicates).toEqual([]);
  });

  it('reports invalid entries with the UI rule and their line, duplicates with every line (also when only the case differs)', () => {
    const parsed = parseImport('env', '1BAD=x\nKEYHOLD_URL=x\nEMPTY=\nGOOD=yes\nTWICE=a\ngood=case clash\nWITH.DOT=x\nTWICE=b\n__proto__=kept\n');
    expect(parsed.entries).toEqual([{ key: '__proto__', value: 'kept', line: 9 }]);
    expect(parsed.invalid).toEqual([
      { key: '1BAD', line: 1, reason: MESSAGES.keyPattern },
      { key: 'KEYHOLD_URL', line: 2, reason: MESSAGES.keyReserved },
      { key: 'EMPTY', line: 3, reason: MESSAGES.valueRequired },
      { key: 'WITH.DOT', line: 7, reason: MESSAGES.keyPattern },
    ]);
    expect(parsed.duplicates).toEqual([
      { key: 'GOOD', lines: [4, 6] },
      { key: 'TWICE', lines: [5, 8] },
    ]);
  });

  it("refuses a credential-looking NEXT_PUBLIC_ value with the Add dialog's guard message", () => {
    const parsed = parseImport('env', `NEXT_PUBLIC_STRIPE=sk_live_${'a'.repeat(24)}\nNEXT_PUBLIC_SITE=https://example.com\n`);
    expect(parsed.entries.map((e) => e.key)).toEqual(['NEXT_PUBLIC_SITE']);
    expect(parsed.invalid).toEqual([
      { key: 'NEXT_PUBLIC_STRIPE', line: 1, reason: publicCredentialProblem('NEXT_PUBLIC_STRIPE', `sk_live_${'a'.repeat(24)}`) },
    ]);
    expect(parsed.invalid[0].reason).toMatch(/NEXT_PUBLIC_ values are shipped to every browser/);
  });

  it('reads a flat JSON object such as secrets.revealed.json, __proto__ included, with lines and duplicates', () => {
    const text = '\ufeff{\n  "STRIPE_API_KEY": "sk_live_abc",\n  "MULTI": "a\\nb \\" :",\n  "__proto__": "not a prototype",\n  "DUP": "1",\n  "DUP": "2"\n}';
    const parsed = parseImport('json', text);
    expect(parsed.entries).toEqual([
      { key: 'STRIPE_API_KEY', value: 'sk_live_abc', line: 2 },
      { key: 'MULTI', value: 'a\nb " :', line: 3 },
      { key: '__proto__', value: 'not a prototype', line: 4 },
    ]);
    expect(parsed.duplicates).toEqual([{ key: 'DUP', lines: [5, 6] }]);
    expect(({} as Record<string, unknown>)['not a prototype']).toBeUndefined();
  });

  it('reports non-string JSON values as invalid instead of converting them, never naming the value', () => {
    const parsed = parseImport('json', JSON.stringify({ PORT: 5432, DEBUG: true, NOTHING: null, LIST: ['a'], NESTED: { a: 'b' }, OK: 'yes', EMPTY: '' }));
    expect(parsed.entries.map((e) => e.key)).toEqual(['OK']);
    expect(parsed.invalid.map((e) => [e.key, e.reason])).toEqual([
      ['PORT', `${IMPORT_MESSAGES.notString} (it is a number)`],
      ['DEBUG', `${IMPORT_MESSAGES.notString} (it is a boolean)`],
      ['NOTHING', `${IMPORT_MESSAGES.notString} (it is null)`],
      ['LIST', `${IMPORT_MESSAGES.notString} (it is an array)`],
      ['NESTED', `${IMPORT_MESSAGES.notString} (it is an object)`],
      ['EMPTY', MESSAGES.valueRequired],
    ]);
    expect(JSON.stringify(parsed)).not.toContain('5432');
  });

  it.each([
    ['json', '{"A": "x",}', IMPORT_MESSAGES.notJson],
    ['json', '["A", "B"]', IMPORT_MESSAGES.notObject],
    ['json', 'null', IMPORT_MESSAGES.notObject],
    ['json', '{}', IMPORT_MESSAGES.empty],
    ['env', '# only a comment\n', IMPORT_MESSAGES.empty],
    ['env', `A=${'x'.repeat(4 * 1024 * 1024)}`, IMPORT_MESSAGES.tooLarge],
  ] as const)('refuses the whole %s text %#', (format, text, message) => {
    let thrown: unknown;
    try {
      parseImport(format, text);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(AppError);
    expect((thrown as AppError).fieldErrors).toEqual({ text: message });
  });

  it('tells pasted KEY=value lines from a key name', () => {
    expect(looksLikeDotenv('DATABASE_URL=postgres://x')).toBe(true);
    expect(looksLikeDotenv('  export A=1\nB=2')).toBe(true);
    expect(looksLikeDotenv('DATABASE_URL')).toBe(false);
    expect(looksLikeDotenv('sk_live_abc==')).toBe(true);
    expect(looksLikeDotenv('not a key = x')).toBe(false);
  });
});
