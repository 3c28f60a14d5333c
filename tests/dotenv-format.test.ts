import dotenv from 'dotenv';
import { describe, expect, it } from 'vitest';
import { dotenvValue, toDotenv } from '@/lib/dotenv-format.mjs';

// The .env writer must give back exactly what went in, through dotenv's
// default parser and its `fast` parser, for every value it agrees to write.

const parsers = {
  default: (text: string) => dotenv.parse(text),
  fast: (text: string) => dotenv.parse(text, { fast: true } as never),
};

const AWKWARD: Record<string, string> = {
  PLAIN: 'sk_live_51H8xYz',
  URL: 'postgres://user:p%40ss@db.example.com:5432/app?sslmode=require&x=1',
  EMPTY: '',
  SPACE_ONLY: ' ',
  LEADING_TRAILING: '  padded value\t ',
  HASH: 'abc#def',
  HASH_AFTER_SPACE: 'abc #not a comment',
  STARTS_WITH_HASH: '#hashtag',
  EQUALS: 'a=b==c=',
  SINGLE: "it's",
  DOUBLE: 'say "hi"',
  BACKTICK: 'run `ls`',
  ALL_QUOTES: `'single' "double" \`back\``,
  WRAPPED_SINGLE: "'wrapped'",
  WRAPPED_DOUBLE: '"wrapped"',
  WRAPPED_BACKTICK: '`wrapped`',
  BACKSLASHES: 'C:\\Users\\keyhold\\bin',
  BACKSLASH_N_LITERAL: 'not a newline: \\n and \\r',
  BACKSLASH_N_AND_QUOTE: `it's a literal \\n`,
  MULTILINE: 'line one\nline two\n\nline four',
  CRLF: 'windows\r\nline\r\nendings',
  LONE_CR: 'a\rb',
  PEM: '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\nBKcwggSjAgEAAoIBAQC7\n-----END PRIVATE KEY-----\n',
  JSON: '{"type":"service_account","private_key":"-----BEGIN KEY-----\\nabc\\n-----END KEY-----\\n"}',
  UNICODE: 'ünïcødé ✓ 日本語 🎉',
  NBSP_EDGES: '\u00a0nbsp\u00a0',
  BOM_START: '\ufeffbom',
  LINE_SEPARATOR: 'a\u2028b\u2029c',
  DOLLAR: '$HOME ${PATH} $(whoami)',
  EXPORT_LOOKALIKE: 'export FOO=bar',
  KEY_LOOKALIKE: 'x\nOTHER_KEY=injected\n',
  SHELLISH: 'a\'b"c`d$e\\f',
  TABS: '\tindented\t',
  NUL_AND_CONTROL: 'a\u0000b\u0001c\u007f',
  TRAILING_BACKSLASH_BARE: 'ends-with\\',
  constructor: 'not the constructor',
  toString: 'not a function',
};

function roundTrip(entries: [string, string][]) {
  const { text, skipped } = toDotenv(entries);
  const expected = Object.fromEntries(entries.filter(([key]) => !skipped.includes(key)));
  for (const [name, parse] of Object.entries(parsers)) {
    expect({ parser: name, parsed: parse(text) }).toEqual({ parser: name, parsed: expected });
  }
  return { text, skipped };
}

describe('toDotenv', () => {
  it('writes every awkward value so dotenv reads back identical values', () => {
    const { skipped } = roundTrip(Object.entries(AWKWARD));
    expect(skipped).toEqual([]);
  });

  it('reads back identically in every order (no value swallows the next line)', () => {
    const entries = Object.entries(AWKWARD);
    for (let i = 0; i < 50; i++) roundTrip(shuffle(entries, i + 1));
  });

  it('writes simple values bare and quotes only when needed', () => {
    expect(
      toDotenv([
        ['A', 'simple-value_1.2:3@x/y'],
        ['B', 'two words'],
        ['C', ''],
        ['D', "it's"],
      ]).text,
    ).toBe(`A=simple-value_1.2:3@x/y\nB='two words'\nC=''\nD="it's"\n`);
    expect(toDotenv([]).text).toBe('');
  });

  it('leaves out and names __proto__ (dotenv.parse drops it): read back plus skipped accounts for every key', () => {
    const entries: [string, string][] = [
      ['__proto__', 'polluted?'],
      ['constructor', 'c'],
      ['toString', 't'],
      ['SAFE', 'yes'],
      ['UNWRITABLE', 'a"b\r\nc'],
    ];
    const { text, skipped } = roundTrip(entries);
    expect(skipped).toEqual(['__proto__', 'UNWRITABLE']);
    expect(text).toBe(
      '# __proto__ is left out: dotenv drops a key with this name (read it as JSON)\nconstructor=c\ntoString=t\nSAFE=yes\n# UNWRITABLE is left out: its value cannot be written in .env format (read it as JSON)\n',
    );
    for (const parse of Object.values(parsers)) {
      const accounted = [...Object.keys(parse(text)), ...skipped].sort();
      expect(accounted).toEqual(entries.map(([key]) => key).sort());
    }
  });

  it('leaves out, and names, a value dotenv cannot read back, instead of writing it wrong', () => {
    const impossible: [string, string][] = [
      ['NEEDS_QUOTES_ENDS_BACKSLASH', 'C:\\Program Files\\'],
      ['EVERY_QUOTE_AND_NEWLINE', `'a' "b" \`c\`\nd`],
      ['EVERY_QUOTE_AND_HASH', `'a' "b" \`c\` # d`],
      ['CR_AND_DOUBLE_QUOTE_AND_NEWLINE', 'a"b\r\nc'],
    ];
    const { text, skipped } = roundTrip([['BEFORE', 'ok'], ...impossible, ['AFTER', 'ok too']]);
    expect(skipped).toEqual(impossible.map(([key]) => key));
    for (const [key, value] of impossible) {
      expect(text).toContain(`# ${key} is left out`);
      expect(text).not.toContain(value);
    }
  });

  it('round-trips thousands of random values from an alphabet of troublemakers (property test)', () => {
    const alphabet = [
      'a',
      'Z',
      '0',
      '_',
      ' ',
      '\t',
      '\n',
      '\r',
      '#',
      '=',
      "'",
      '"',
      '`',
      '\\',
      'n',
      'r',
      '$',
      '{',
      'é',
      '🎉',
      '\u2028',
      '\u00a0',
      '\ufeff',
      ':',
      '-',
    ];
    const random = rng(42);
    let written = 0;
    for (let round = 0; round < 200; round++) {
      const entries: [string, string][] = [];
      for (let i = 0; i < 25; i++) {
        const length = Math.floor(random() * 14);
        let value = '';
        for (let j = 0; j < length; j++) value += alphabet[Math.floor(random() * alphabet.length)];
        entries.push([`K${round}_${i}`, value]);
      }
      const { skipped } = roundTrip(entries);
      written += entries.length - skipped.length;
      for (const key of skipped) {
        const value = entries.find(([k]) => k === key)![1];
        // Only the documented impossibilities are left out.
        const endsBackslash = value.endsWith('\\');
        const noSingle = value.includes("'") || value.includes('\r');
        const noDouble = value.includes('"') || /\\[nr]/.test(value);
        const noBacktick = value.includes('`') || value.includes('\r');
        expect({ value, explained: endsBackslash || (noSingle && noDouble && noBacktick) }).toEqual({ value, explained: true });
      }
    }
    expect(written).toBeGreaterThan(200 * 25 * 0.8);
  });

  it('dotenvValue refuses nothing it could write bare', () => {
    expect(dotenvValue('abc\\')).toBe('abc\\');
    expect(dotenvValue('x')).toBe('x');
  });
});

function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffle<T>(items: T[], seed: number): T[] {
  const random = rng(seed);
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}
