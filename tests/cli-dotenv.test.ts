import dotenv from 'dotenv';
import { dotenvValue } from '../lib/dotenv-format.mjs';
import { describe, expect, it } from 'vitest';
import { DotenvFormatError, isUntouchedPull, parseDotenv, serializeDotenv, withPullHeader } from '../cli/dotenv.mjs';
import { AWKWARD } from './support/cli-fixtures';

/** dotenv's own parse, as any consumer would call it (a plain object). */
const asDotenvSees = (text: string, fast = false) => dotenv.parse(text, fast ? { fast: true } : undefined);

describe('the .env writer', () => {
  it('writes every awkward value so that dotenv.parse reads it back identically (both parsers)', () => {
    const text = serializeDotenv(AWKWARD);
    for (const fast of [false, true]) {
      const parsed = asDotenvSees(text, fast);
      for (const [key, value] of AWKWARD) expect({ key, value: parsed[key] }).toEqual({ key, value });
    }
    expect([...parseDotenv(text)].sort()).toEqual([...AWKWARD].sort());
    expect([...parseDotenv(text, { fast: true })].sort()).toEqual([...AWKWARD].sort());
  });

  it('also round-trips each value alone and after a value that contains the next line', () => {
    for (const [key, value] of AWKWARD) {
      const alone = serializeDotenv([[key, value]]);
      expect(parseDotenv(alone).get(key)).toBe(value);
      const pair = serializeDotenv([
        ['A_FIRST', value],
        ['B_SECOND', 'after'],
      ]);
      expect(Object.fromEntries(parseDotenv(pair))).toEqual({ A_FIRST: value, B_SECOND: 'after' });
    }
  });

  it('writes each value in a form that does not depend on the lines around it (pairs, and a seeded fuzz)', () => {
    for (const [, first] of AWKWARD) {
      for (const [, second] of AWKWARD) {
        const text = serializeDotenv([
          ['A', first],
          ['B', second],
          ['C', "'"],
        ]);
        expect(asDotenvSees(text)).toEqual({ A: first, B: second, C: "'" });
      }
    }
    // Short values from the characters dotenv treats specially: any value that
    // can be written alone must also survive between any others.
    const alphabet = ['a', ' ', "'", '"', '`', '\\', '\n', '\r', '#', '=', 'n', '$', '\u2028', '\t'];
    let seed = 12345;
    const next = (n: number) => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff), seed % n);
    const value = () => Array.from({ length: next(7) }, () => alphabet[next(alphabet.length)]).join('');
    for (let i = 0; i < 4000; i++) {
      const values = [value(), value(), value()];
      if (values.some((v) => dotenvValue(v) === null)) continue;
      const text = serializeDotenv(values.map((v, j): [string, string] => [`K${j}`, v]));
      expect(asDotenvSees(text)).toEqual({ K0: values[0], K1: values[1], K2: values[2] });
      expect(asDotenvSees(text, true)).toEqual({ K0: values[0], K1: values[1], K2: values[2] });
    }
  });

  it('sorts keys, writes one KEY=value per secret and leaves plain values unquoted', () => {
    const text = serializeDotenv({ B: 'two words', A: 'plain', C: "it's" });
    expect(text).toBe(`A=plain\nB='two words'\nC="it's"\n`);
    expect(serializeDotenv([])).toBe('');
  });

  it('refuses, by key name and without the value, what no .env form can carry', () => {
    // A CR (only "…" can carry it) beside a literal "\n" and a double quote.
    const unwritable = 'cr\r and "quote" and \\n';
    expect(dotenvValue(unwritable)).toBeNull();
    let error: unknown;
    try {
      serializeDotenv([
        ['OK', 'fine'],
        ['UNWRITABLE', unwritable],
        ['ALSO_BAD', `all three ' " \` quotes\nand a newline`],
        ['BACKSLASH_LAST', 'needs quotes and ends with \\'],
      ]);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DotenvFormatError);
    expect((error as DotenvFormatError).keys).toEqual(['ALSO_BAD', 'BACKSLASH_LAST', 'UNWRITABLE']);
    expect((error as Error).message).toContain('ALSO_BAD (its value cannot be written in .env format), BACKSLASH_LAST (');
    expect((error as Error).message).not.toContain('quote');
  });

  it('refuses __proto__ (dotenv.parse drops it), naming it and why, and writes constructor and toString', () => {
    const error = (() => {
      try {
        serializeDotenv([
          ['__proto__', 'p'],
          ['constructor', 'c'],
          ['toString', 't'],
          ['UNWRITABLE', 'a"b\r\nc'],
        ]);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(DotenvFormatError);
    expect((error as DotenvFormatError).keys).toEqual(['UNWRITABLE', '__proto__']);
    expect((error as Error).message).toBe(
      'cannot write these secrets to a .env file that dotenv reads back identically: UNWRITABLE (its value cannot be written in .env format), __proto__ (dotenv drops a key with this name). Use keyhold run, or export --format json.',
    );
    expect(
      asDotenvSees(
        serializeDotenv([
          ['constructor', 'c'],
          ['toString', 't'],
        ]),
      ),
    ).toEqual({ constructor: 'c', toString: 't' });
  });

  it('refuses keys that are not environment variable names instead of writing a broken line', () => {
    expect(() => serializeDotenv([['BAD KEY', 'x']])).toThrow(DotenvFormatError);
  });
});

describe('reading .env files', () => {
  it('keeps __proto__, constructor and toString as ordinary keys', () => {
    const parsed = parseDotenv('__proto__=polluted\nconstructor=c\ntoString=t\nexport __proto__ = again\n');
    expect(parsed).toEqual(
      new Map([
        ['__proto__', 'again'],
        ['constructor', 'c'],
        ['toString', 't'],
      ]),
    );
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    // dotenv alone loses it: the reason for the stand-in.
    expect(Object.keys(dotenv.parse('__proto__=x\n'))).toEqual([]);
  });

  it('does not touch "__proto__" inside values, and strips a byte-order mark', () => {
    const parsed = parseDotenv('\ufeffA="value with __proto__=x inside"\nB=\'\n__proto__=not a key\n\'\n');
    expect(Object.fromEntries(parsed)).toEqual({ A: 'value with __proto__=x inside', B: '\n__proto__=not a key\n' });
  });
});

describe('keyhold pull files', () => {
  it('recognise an untouched file and any edit to it', () => {
    const body = serializeDotenv({ A: '1', B: 'two' });
    const file = withPullHeader(body, { deployment: 7 });
    expect(file.split('\n')[0]).toMatch(/^# Written by keyhold pull from deployment 7; .* sha256=[0-9a-f]{64}$/);
    expect(isUntouchedPull(file)).toBe(true);
    expect(dotenv.parse(file)).toEqual({ A: '1', B: 'two' });
    expect(isUntouchedPull(file.replace('two', 'TWO'))).toBe(false);
    expect(isUntouchedPull(`${file}C=3\n`)).toBe(false);
    expect(isUntouchedPull(body)).toBe(false);
    expect(isUntouchedPull('')).toBe(false);
  });
});
