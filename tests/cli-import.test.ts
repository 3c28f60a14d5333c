import { describe, expect, it } from 'vitest';
import { detectFormat, ImportFileError, parseImportFile, planImport } from '../cli/import-file.mjs';
import { keyProblem, RULE_MESSAGES, valueProblem } from '@/lib/secrets/rules.mjs';
import { createSecretSchema, MESSAGES } from '@/lib/secrets/schemas';

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
  it('uses the sentences of lib/secrets/schemas.ts', () => {
    for (const [name, message] of Object.entries(RULE_MESSAGES)) {
      expect(MESSAGES[name as keyof typeof MESSAGES]).toBe(message);
    }
  });

  // Every key and value here is judged the same by the CLI and by the schema
  // the server validates with (the CLI does not trim keys: see keyProblem).
  const keys = [
    'API_KEY', 'a', '_', '_1', 'lower_case', 'MiXeD', 'A'.repeat(256), 'A'.repeat(257), '1ABC', '9', 'WITH-DASH', 'WITH.DOT',
    'WITH SPACE', 'ÜMLAUT', 'KEYHOLD_X', 'keyhold_x', 'Keyhold_Anything', 'KEYHOLD', 'KEYHOLDX', 'XKEYHOLD_', '', '__proto__',
    'constructor', 'toString', 'emoji🎉', 'LONE_\ud800', '\udc00', 'A'.repeat(256) + '\ud800',
  ];
  it.each(keys)('key %j: same verdict as the server', (key) => {
    const server = createSecretSchema.safeParse({ key, value: 'v', type: 'OTHER' });
    const serverReason = server.success ? null : server.error.issues.find((i) => i.path[0] === 'key')?.message ?? null;
    expect(keyProblem(key)).toBe(serverReason);
  });

  const values = ['', 'x', ' ', 'x'.repeat(64 * 1024), 'x'.repeat(64 * 1024 + 1), 'é'.repeat(32 * 1024), 'é'.repeat(32 * 1024 + 1), '🎉'.repeat(16 * 1024), '🎉'.repeat(16 * 1024) + 'x', 'x\ud800', '\udc00x', '\ud800'.repeat(64 * 1024)];
  it.each(values.map((v) => [v.length, v]))('value of %i characters: same verdict as the server', (_, value) => {
    const server = createSecretSchema.safeParse({ key: 'K', value, type: 'OTHER' });
    const serverReason = server.success ? null : server.error.issues.find((i) => i.path[0] === 'value')?.message ?? null;
    expect(valueProblem(value)).toBe(serverReason);
  });
});

describe('reading import files', () => {
  it('reads a .env (and a vtex.env, same syntax) with quotes, multi-line values and comments', () => {
    const text = [
      '# exported from the old vault',
      'STRIPE_API_KEY=sk_live_abc',
      'export DATABASE_URL="postgres://u:p@h/db"',
      "PEM='-----BEGIN KEY-----",
      'abc',
      "-----END KEY-----'",
      'SPACED = "  kept  "   # comment',
      '',
    ].join('\n');
    for (const name of ['.env', 'vtex.env']) {
      const file = parseImportFile(name, text);
      expect(file.format).toBe('env');
      expect(file.invalid).toEqual([]);
      expect(file.entries).toEqual([
        { key: 'STRIPE_API_KEY', value: 'sk_live_abc' },
        { key: 'DATABASE_URL', value: 'postgres://u:p@h/db' },
        { key: 'PEM', value: '-----BEGIN KEY-----\nabc\n-----END KEY-----' },
        { key: 'SPACED', value: '  kept  ' },
      ]);
    }
  });

  it('reports invalid .env entries with the reason and keeps the rest', () => {
    const file = parseImportFile('vtex.env', '1BAD=x\nKEYHOLD_URL=x\nEMPTY=\nGOOD=yes\ngood=case clash\nWITH.DOT=x\n__proto__=kept\n');
    expect(file.entries).toEqual([
      { key: 'GOOD', value: 'yes' },
      { key: '__proto__', value: 'kept' },
    ]);
    expect(file.invalid).toEqual([
      { key: '1BAD', reason: MESSAGES.keyPattern },
      { key: 'KEYHOLD_URL', reason: MESSAGES.keyReserved },
      { key: 'EMPTY', reason: MESSAGES.valueRequired },
      { key: 'good', reason: 'differs only by case from GOOD earlier in the file (keys are unique regardless of case)' },
      { key: 'WITH.DOT', reason: MESSAGES.keyPattern },
    ]);
  });

  it('reads a flat JSON object such as secrets.revealed.json, __proto__ included', () => {
    const text = '\ufeff{"STRIPE_API_KEY": "sk_live_abc", "MULTI": "a\\nb", "__proto__": "not a prototype", "constructor": "c"}';
    const file = parseImportFile('secrets.revealed.json', text);
    expect(file).toEqual({
      format: 'json',
      entries: [
        { key: 'STRIPE_API_KEY', value: 'sk_live_abc' },
        { key: 'MULTI', value: 'a\nb' },
        { key: '__proto__', value: 'not a prototype' },
        { key: 'constructor', value: 'c' },
      ],
      invalid: [],
    });
    expect(({} as Record<string, unknown>)['not a prototype']).toBeUndefined();
  });

  it('reports non-string JSON values as invalid instead of converting them', () => {
    const text = JSON.stringify({ PORT: 5432, DEBUG: true, NOTHING: null, LIST: ['a'], NESTED: { a: 'b' }, OK: 'yes', EMPTY: '' });
    const file = parseImportFile('secrets.json', text);
    expect(file.entries).toEqual([{ key: 'OK', value: 'yes' }]);
    expect(file.invalid).toEqual([
      { key: 'PORT', reason: 'value is a number; only string values can be imported (write it as a JSON string to import it)' },
      { key: 'DEBUG', reason: 'value is a boolean; only string values can be imported (write it as a JSON string to import it)' },
      { key: 'NOTHING', reason: 'value is null; only string values can be imported (write it as a JSON string to import it)' },
      { key: 'LIST', reason: 'value is an array; only string values can be imported (write it as a JSON string to import it)' },
      { key: 'NESTED', reason: 'value is a nested object; only string values can be imported (write it as a JSON string to import it)' },
      { key: 'EMPTY', reason: MESSAGES.valueRequired },
    ]);
    expect(JSON.stringify(file.invalid)).not.toContain('5432');
  });

  it.each([
    ['{"A": "x",}', /is not valid JSON/],
    ['', /is not valid JSON/],
    ['["A", "B"]', /must hold one JSON object .* \(it holds an array\)/],
    ['"just a string"', /\(it holds string\)/],
    ['null', /\(it holds null\)/],
    ['42', /\(it holds a number\)/],
  ])('refuses the whole JSON file %j', (text, message) => {
    expect(() => parseImportFile('secrets.json', text)).toThrow(ImportFileError);
    expect(() => parseImportFile('secrets.json', text)).toThrow(message);
  });
});

describe('planning an import', () => {
  const file = parseImportFile(
    'x.json',
    JSON.stringify({ NEW_ONE: 'n', SAME: 'same', DIFFERENT: 'new value', NOT_DEPLOYED: 'v', stripe_key: 'x', '1BAD': 'x' }),
  );
  const workingSet = [
    { id: 'id-same', name: 'SAME' },
    { id: 'id-different', name: 'DIFFERENT' },
    { id: 'id-not-deployed', name: 'NOT_DEPLOYED' },
    { id: 'id-stripe', name: 'STRIPE_KEY' },
    { id: 'id-other', name: 'UNTOUCHED' },
  ];

  it('compares existing keys with the deployed values', () => {
    const deployed = Object.assign(Object.create(null), { SAME: 'same', DIFFERENT: 'old value', STRIPE_KEY: 's', UNTOUCHED: 'u' });
    expect(planImport(file, workingSet, deployed)).toEqual({
      create: [{ key: 'NEW_ONE', value: 'n' }],
      changed: [{ key: 'DIFFERENT', value: 'new value', id: 'id-different' }],
      unchanged: ['SAME'],
      uncompared: [{ key: 'NOT_DEPLOYED', value: 'v', id: 'id-not-deployed' }],
      invalid: [
        { key: '1BAD', reason: MESSAGES.keyPattern },
        { key: 'stripe_key', reason: 'differs only by case from the existing secret STRIPE_KEY' },
      ],
    });
  });

  it('cannot compare anything before the first deployment', () => {
    const plan = planImport(file, workingSet, null);
    expect(plan.create.map((e) => e.key)).toEqual(['NEW_ONE']);
    expect(plan.changed).toEqual([]);
    expect(plan.unchanged).toEqual([]);
    expect(plan.uncompared.map((e) => e.key)).toEqual(['SAME', 'DIFFERENT', 'NOT_DEPLOYED']);
  });

  it('does not mistake inherited names for deployed keys', () => {
    const plain = parseImportFile('x.json', '{"toString": "t", "constructor": "c"}');
    const plan = planImport(plain, [{ id: 'a', name: 'toString' }, { id: 'b', name: 'constructor' }], {});
    expect(plan.uncompared.map((e) => e.key)).toEqual(['toString', 'constructor']);
  });
});
