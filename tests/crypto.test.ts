import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { IntegrityError, blobKeyVersion, decryptValue, encryptValue, generateDataKey, open, seal, valueContext, wrapContext } from '@/lib/crypto/envelope';
import { parseKeyring } from '@/lib/crypto/keyring';

// Blob layout: format (1) ‖ key version (4, BE) ‖ nonce (12) ‖ ciphertext ‖ tag (16).
const FORMAT_AT = 0;
const VERSION_AT = 1;
const NONCE_AT = 5;
const CIPHERTEXT_AT = 17;
const OVERHEAD = 1 + 4 + 12 + 16;

const SECRET_ID = 'cmabc123secret';
const PLAINTEXT = 'postgres://admin:hunter2-Sup3rS3cret@db.internal:5432/app';

function keyringOf(entries: Record<number, Buffer>) {
  return (version: number): Buffer | undefined => entries[version];
}

/** Asserts `fn` throws an IntegrityError whose message leaks nothing of `plaintext`. */
function expectIntegrityError(fn: () => unknown, plaintext: string = PLAINTEXT): IntegrityError {
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(IntegrityError);
  const error = caught as IntegrityError;
  expect(error.name).toBe('IntegrityError');
  expect(error.message).toMatch(/^Integrity check failed for /);
  expect(error.message).toContain('altered, moved or encrypted under another key');
  if (plaintext.length > 0) {
    expect(error.message).not.toContain(plaintext);
    // Not even a recognisable fragment of it.
    expect(error.message).not.toContain('hunter2');
    expect(error.stack ?? '').not.toContain(plaintext);
  }
  return error;
}

function flip(blob: Buffer, index: number, mask = 0x01): Buffer {
  const copy = Buffer.from(blob);
  copy[index] ^= mask;
  return copy;
}

describe('envelope: round trips', () => {
  const key = generateDataKey();
  const keyFor = keyringOf({ 3: key });

  const pem = [
    '-----BEGIN PRIVATE KEY-----',
    'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj',
    'MzEfYyjiWA4R4/M2bS1GB4t7NXp98C3SC6dVMvDuictGeurT8jNbvJZHtCSuYEvu',
    '-----END PRIVATE KEY-----',
    '',
  ].join('\n');

  const cases: Array<[string, string]> = [
    ['ASCII', PLAINTEXT],
    ['unicode with emoji and RTL', 'pässwörd 🔑🚀 — מפתח סודי — مفتاح سري ‏ok‎ 日本語'],
    ['empty string', ''],
    ['multi-line PEM', pem],
    ['CRLF and surrounding whitespace', '  line one\r\nline two\t\n  '],
    ['exactly 64 KiB', 'x'.repeat(64 * 1024)],
  ];

  it.each(cases)('%s', (_label, value) => {
    const blob = encryptValue(key, 3, value, SECRET_ID, 7);
    expect(blob.length).toBe(OVERHEAD + Buffer.byteLength(value, 'utf8'));
    expect(blob[FORMAT_AT]).toBe(1);
    expect(blob.readUInt32BE(VERSION_AT)).toBe(3);
    expect(blobKeyVersion(blob)).toBe(3);
    if (value.length > 0) expect(blob.includes(Buffer.from(value, 'utf8'))).toBe(false);
    expect(decryptValue(keyFor, blob, SECRET_ID, 7)).toBe(value);
  });

  it('accepts the blob as a Uint8Array view into a larger buffer (as a DB driver may return it)', () => {
    const blob = encryptValue(key, 3, PLAINTEXT, SECRET_ID, 1);
    const backing = Buffer.concat([Buffer.from('junk-before'), blob, Buffer.from('junk-after')]);
    const view = new Uint8Array(backing.buffer, backing.byteOffset + 11, blob.length);
    expect(blobKeyVersion(view)).toBe(3);
    expect(decryptValue(keyFor, view, SECRET_ID, 1)).toBe(PLAINTEXT);
  });

  it('the same plaintext encrypts to different blobs (fresh nonce each time)', () => {
    const a = encryptValue(key, 3, PLAINTEXT, SECRET_ID, 1);
    const b = encryptValue(key, 3, PLAINTEXT, SECRET_ID, 1);
    expect(a.equals(b)).toBe(false);
    expect(a.subarray(NONCE_AT, CIPHERTEXT_AT).equals(b.subarray(NONCE_AT, CIPHERTEXT_AT))).toBe(false);
    expect(a.subarray(CIPHERTEXT_AT).equals(b.subarray(CIPHERTEXT_AT))).toBe(false);
    expect(decryptValue(keyFor, a, SECRET_ID, 1)).toBe(PLAINTEXT);
    expect(decryptValue(keyFor, b, SECRET_ID, 1)).toBe(PLAINTEXT);
  });

  it('100,000 encryptions of the same value under one key use 100,000 distinct nonces', () => {
    const n = 100_000;
    const nonces = new Set<string>();
    const plaintext = Buffer.from('same value every time');
    const context = valueContext(SECRET_ID, 1);
    for (let i = 0; i < n; i++) {
      const blob = seal(key, 3, plaintext, context);
      nonces.add(blob.toString('hex', NONCE_AT, CIPHERTEXT_AT));
    }
    expect(nonces.size).toBe(n);
    for (const nonce of nonces) {
      expect(nonce).toHaveLength(24);
      break;
    }
  });

  it('generateDataKey returns 32 fresh random bytes', () => {
    const a = generateDataKey();
    const b = generateDataKey();
    expect(a).toHaveLength(32);
    expect(b).toHaveLength(32);
    expect(a.equals(b)).toBe(false);
  });
});

describe('envelope: tampering is an IntegrityError, never garbage', () => {
  const key = generateDataKey();
  const otherKey = generateDataKey();
  const blob = encryptValue(key, 1, PLAINTEXT, SECRET_ID, 4);
  const keyFor = keyringOf({ 1: key });
  const decrypt = (b: Uint8Array, id = SECRET_ID, version = 4, kf = keyFor) => decryptValue(kf, b, id, version);

  it('the untouched blob decrypts (control)', () => {
    expect(decrypt(blob)).toBe(PLAINTEXT);
  });

  it('format byte changed', () => {
    expectIntegrityError(() => decrypt(flip(blob, FORMAT_AT)));
    expectIntegrityError(() => decrypt(flip(blob, FORMAT_AT, 0xff)));
    expectIntegrityError(() => blobKeyVersion(flip(blob, FORMAT_AT)));
  });

  it('key version bytes changed, to a version the keyring lacks', () => {
    for (let i = VERSION_AT; i < NONCE_AT; i++) {
      expectIntegrityError(() => decrypt(flip(blob, i)));
    }
  });

  it('key version changed to another version that has the same key (header is authenticated)', () => {
    // A keyring that would hand out the right key for any version: only the AAD catches it.
    const sameKeyEverywhere = () => key;
    const relabelled = Buffer.from(blob);
    relabelled.writeUInt32BE(2, VERSION_AT);
    expect(blobKeyVersion(relabelled)).toBe(2);
    expectIntegrityError(() => decrypt(relabelled, SECRET_ID, 4, sameKeyEverywhere));
  });

  it('key version changed to another configured version with a different key', () => {
    const relabelled = Buffer.from(blob);
    relabelled.writeUInt32BE(2, VERSION_AT);
    expectIntegrityError(() => decrypt(relabelled, SECRET_ID, 4, keyringOf({ 1: key, 2: otherKey })));
  });

  it('any nonce byte changed', () => {
    for (let i = NONCE_AT; i < CIPHERTEXT_AT; i++) {
      expectIntegrityError(() => decrypt(flip(blob, i)));
    }
  });

  it('any ciphertext byte changed', () => {
    const ciphertextEnd = blob.length - 16;
    for (let i = CIPHERTEXT_AT; i < ciphertextEnd; i++) {
      expectIntegrityError(() => decrypt(flip(blob, i, 0x80)));
    }
  });

  it('any tag byte changed', () => {
    for (let i = blob.length - 16; i < blob.length; i++) {
      expectIntegrityError(() => decrypt(flip(blob, i)));
    }
  });

  it('blob copied to another secret id fails (context is AAD)', () => {
    const error = expectIntegrityError(() => decrypt(blob, 'cmother456secret', 4));
    expect(error.message).toBe(
      'Integrity check failed for secret cmother456secret version 4: the encrypted data was altered, moved or encrypted under another key',
    );
  });

  it('blob copied to another version of the same secret fails', () => {
    expectIntegrityError(() => decrypt(blob, SECRET_ID, 5));
    expectIntegrityError(() => decrypt(blob, SECRET_ID, 3));
  });

  it('a wrapped data key cannot be read with a value context, nor under another project', () => {
    const dataKey = generateDataKey();
    const wrapped = seal(key, 1, dataKey, wrapContext('proj_a', 1));
    expect(open(keyFor, wrapped, wrapContext('proj_a', 1), 'project proj_a').equals(dataKey)).toBe(true);
    expectIntegrityError(() => open(keyFor, wrapped, wrapContext('proj_b', 1), 'project proj_b'));
    expectIntegrityError(() => open(keyFor, wrapped, wrapContext('proj_a', 2), 'project proj_a'));
    expectIntegrityError(() => open(keyFor, wrapped, valueContext('proj_a', 1), 'x'));
  });

  it('the wrong key fails', () => {
    expectIntegrityError(() => decrypt(blob, SECRET_ID, 4, keyringOf({ 1: otherKey })));
  });

  it('a blob naming a key version the keyring does not have fails, without trying other keys', () => {
    const tried: number[] = [];
    const keyFor7 = (version: number) => {
      tried.push(version);
      return version === 1 ? key : undefined;
    };
    const future = encryptValue(otherKey, 7, PLAINTEXT, SECRET_ID, 4);
    expectIntegrityError(() => decrypt(future, SECRET_ID, 4, keyFor7));
    expect(tried).toEqual([7]);
  });

  it('truncated blobs fail', () => {
    for (const length of [0, 1, 5, 17, OVERHEAD - 1, OVERHEAD, blob.length - 1]) {
      expectIntegrityError(() => decrypt(blob.subarray(0, length)));
    }
    // Dropping bytes from the front misaligns the header.
    expectIntegrityError(() => decrypt(blob.subarray(1)));
  });

  it('an appended byte fails', () => {
    expectIntegrityError(() => decrypt(Buffer.concat([blob, Buffer.from([0])])));
  });

  it('an empty-plaintext blob is still authenticated', () => {
    const empty = encryptValue(key, 1, '', SECRET_ID, 1);
    expect(empty).toHaveLength(OVERHEAD);
    expect(decrypt(empty, SECRET_ID, 1)).toBe('');
    expectIntegrityError(() => decrypt(flip(empty, empty.length - 1), SECRET_ID, 1), '');
    expectIntegrityError(() => decrypt(empty, SECRET_ID, 2), '');
  });

  it('tampering with a unicode value never yields garbage text', () => {
    const value = 'sécret 🔑 מפתח';
    const b = encryptValue(key, 1, value, SECRET_ID, 1);
    for (let i = 0; i < b.length; i++) {
      expectIntegrityError(() => decrypt(flip(b, i), SECRET_ID, 1), value);
    }
  });
});

describe('envelope + keyring: master key rotation', () => {
  const v1 = randomBytes(32).toString('base64');
  const v2 = randomBytes(32).toString('base64');

  it('a data key wrapped under v1 still unwraps after v2 is added; new wraps use v2', () => {
    const before = parseKeyring(v1);
    expect(before.current).toBe(1);
    const keyForBefore = (v: number) => before.keys.get(v);

    const dataKey = generateDataKey();
    const wrappedV1 = seal(before.keys.get(before.current)!, before.current, dataKey, wrapContext('proj_1', 1));
    expect(blobKeyVersion(wrappedV1)).toBe(1);

    // A value encrypted under the data key, to check the whole chain.
    const valueBlob = encryptValue(dataKey, 1, PLAINTEXT, SECRET_ID, 1);

    const after = parseKeyring(`1:${v1},2:${v2}`);
    expect(after.current).toBe(2);
    const keyForAfter = (v: number) => after.keys.get(v);

    const unwrapped = open(keyForAfter, wrappedV1, wrapContext('proj_1', 1), 'project proj_1');
    expect(unwrapped.equals(dataKey)).toBe(true);
    expect(decryptValue(() => unwrapped, valueBlob, SECRET_ID, 1)).toBe(PLAINTEXT);

    // Re-wrap under the newest key.
    const wrappedV2 = seal(after.keys.get(after.current)!, after.current, unwrapped, wrapContext('proj_1', 1));
    expect(blobKeyVersion(wrappedV2)).toBe(2);
    expect(open(keyForAfter, wrappedV2, wrapContext('proj_1', 1), 'project proj_1').equals(dataKey)).toBe(true);

    // The old keyring cannot read the v2 wrap: it does not know version 2.
    expectIntegrityError(() => open(keyForBefore, wrappedV2, wrapContext('proj_1', 1), 'project proj_1'));
    // Retiring v1 makes v1 wraps unreadable, as an integrity error.
    const retired = parseKeyring(`2:${v2}`);
    expectIntegrityError(() => open((v) => retired.keys.get(v), wrappedV1, wrapContext('proj_1', 1), 'project proj_1'));
  });
});
