import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { KeyringConfigError, MAKE_KEY_HINT, parseKeyring } from '@/lib/crypto/keyring';

const k1 = randomBytes(32);
const k2 = randomBytes(32);
const k3 = randomBytes(32);
const b64 = (key: Buffer) => key.toString('base64');

/** Parses `value`, expects a KeyringConfigError with exactly `message`, and checks no key material leaks. */
function expectConfigError(value: string, message: string, secrets: string[] = []) {
  let caught: unknown;
  try {
    parseKeyring(value);
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(KeyringConfigError);
  const error = caught as KeyringConfigError;
  expect(error.message).toBe(message);
  for (const secret of secrets) {
    expect(error.message).not.toContain(secret);
    // Nor a sizeable piece of it.
    expect(error.message).not.toContain(secret.slice(0, 12));
    expect(error.message).not.toContain(secret.slice(-12));
  }
}

describe('parseKeyring: valid configurations', () => {
  it('one base64 key is version 1', () => {
    const ring = parseKeyring(b64(k1));
    expect(ring.current).toBe(1);
    expect([...ring.keys.keys()]).toEqual([1]);
    expect(ring.keys.get(1)!.equals(k1)).toBe(true);
  });

  it('surrounding whitespace (a trailing newline from a file) is ignored', () => {
    const ring = parseKeyring(`  ${b64(k1)}\n`);
    expect(ring.current).toBe(1);
    expect(ring.keys.get(1)!.equals(k1)).toBe(true);
  });

  it('a versioned list keeps every version', () => {
    const ring = parseKeyring(`1:${b64(k1)},2:${b64(k2)}`);
    expect(ring.current).toBe(2);
    expect(ring.keys.size).toBe(2);
    expect(ring.keys.get(1)!.equals(k1)).toBe(true);
    expect(ring.keys.get(2)!.equals(k2)).toBe(true);
  });

  it('current is the highest version, whatever the order and gaps', () => {
    const ring = parseKeyring(` 7:${b64(k3)} , 2:${b64(k2)},3:${b64(k1)}, `);
    expect(ring.current).toBe(7);
    expect([...ring.keys.keys()].sort((a, b) => a - b)).toEqual([2, 3, 7]);
    expect(ring.keys.get(7)!.equals(k3)).toBe(true);
    expect(ring.keys.get(3)!.equals(k1)).toBe(true);
  });

  it('a single versioned entry is that version', () => {
    const ring = parseKeyring(`4:${b64(k2)}`);
    expect(ring.current).toBe(4);
    expect(ring.keys.get(4)!.equals(k2)).toBe(true);
    expect(ring.keys.has(1)).toBe(false);
  });

  it('the hint makes a key that parses', () => {
    expect(MAKE_KEY_HINT).toContain('randomBytes(32)');
    expect(MAKE_KEY_HINT).toContain("toString('base64')");
    expect(b64(k1)).toHaveLength(44);
  });
});

describe('parseKeyring: invalid configurations are KeyringConfigError without key material', () => {
  it('empty', () => {
    expectConfigError('', 'KEYHOLD_MASTER_KEY is empty');
    expectConfigError('   ', 'KEYHOLD_MASTER_KEY is empty');
    expectConfigError(' , ,', 'KEYHOLD_MASTER_KEY is empty');
  });

  it('bad base64 (single key)', () => {
    const bad = `${b64(k1).slice(0, 40)}!!!=`;
    expectConfigError(bad, 'KEYHOLD_MASTER_KEY must be 32 random bytes in base64 (44 characters)', [bad]);
    const spaced = `${b64(k1).slice(0, 20)} ${b64(k1).slice(20)}`;
    expectConfigError(spaced, 'KEYHOLD_MASTER_KEY must be 32 random bytes in base64 (44 characters)', [spaced]);
  });

  it('bad base64 (versioned entry)', () => {
    const bad = `${b64(k2).slice(0, 42)}$$`;
    expectConfigError(`1:${b64(k1)},2:${bad}`, 'master key version 2 must be 32 random bytes in base64 (44 characters)', [bad, b64(k1)]);
  });

  it('wrong length: 16, 31, 33 and 64 bytes', () => {
    for (const size of [16, 31, 33, 64]) {
      const key = randomBytes(size).toString('base64');
      expectConfigError(key, 'KEYHOLD_MASTER_KEY must be 32 random bytes in base64 (44 characters)', [key]);
      expectConfigError(`3:${key}`, 'master key version 3 must be 32 random bytes in base64 (44 characters)', [key]);
    }
  });

  it('a hex key (64 characters) is not mistaken for base64 of 32 bytes', () => {
    const hex = k1.toString('hex');
    expectConfigError(hex, 'KEYHOLD_MASTER_KEY must be 32 random bytes in base64 (44 characters)', [hex]);
  });

  it('duplicate version', () => {
    expectConfigError(`1:${b64(k1)},1:${b64(k2)}`, 'master key version 1 is listed twice', [b64(k1), b64(k2)]);
    expectConfigError(`2:${b64(k1)},3:${b64(k2)},02:${b64(k3)}`, 'master key version 2 is listed twice', [b64(k1), b64(k2), b64(k3)]);
  });

  it('version 0', () => {
    expectConfigError(`0:${b64(k1)}`, 'master key versions start at 1', [b64(k1)]);
    expectConfigError(`1:${b64(k1)},0:${b64(k2)}`, 'master key versions start at 1', [b64(k1), b64(k2)]);
  });

  it('malformed entries: missing version, negative, non-numeric, missing key', () => {
    const message = 'KEYHOLD_MASTER_KEY entries must look like `version:base64key`';
    expectConfigError(`1:${b64(k1)},${b64(k2)}`, message, [b64(k1), b64(k2)]);
    expectConfigError(`-1:${b64(k1)}`, message, [b64(k1)]);
    expectConfigError(`v2:${b64(k1)}`, message, [b64(k1)]);
    expectConfigError('2:', message);
    expectConfigError(`1234567890:${b64(k1)}`, message, [b64(k1)]);
  });

  it('is an Error subclass (callers may catch Error)', () => {
    try {
      parseKeyring('');
      expect.unreachable('parseKeyring should have thrown');
    } catch (error) {
      expect(error).toBeInstanceOf(Error);
      expect(error).toBeInstanceOf(KeyringConfigError);
    }
  });
});
