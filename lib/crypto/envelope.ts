import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

// Envelope encryption with AES-256-GCM. Every blob is self-describing:
//
//   format (1 byte) ‖ key version (uint32 BE) ‖ nonce (12 bytes) ‖ ciphertext ‖ tag (16 bytes)
//
// The header and a context string (what the blob belongs to, e.g. a secret id
// and version) are the additional authenticated data, so a blob that is
// altered, copied to another row or read under another key fails to decrypt.
// The key is chosen by the version in the header, never by trying keys
// (GCM is not key-committing).

const FORMAT_V1 = 1;
const HEADER_BYTES = 5;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;

/** What users and clients are told about an IntegrityError (the error's own message names rows: it is for logs only). */
export const INTEGRITY_MESSAGE =
  'The stored data failed its integrity check: it was altered, moved or encrypted under another key. Ask your Keyhold administrator to restore it from a backup.';

/** A blob that fails to decrypt; answered everywhere with code `integrity_error` and INTEGRITY_MESSAGE. */
export class IntegrityError extends Error {
  readonly code = 'integrity_error';
  constructor(what: string) {
    super(`Integrity check failed for ${what}: the encrypted data was altered, moved or encrypted under another key`);
    this.name = 'IntegrityError';
  }
}

export function generateDataKey(): Buffer {
  return randomBytes(KEY_BYTES);
}

function header(keyVersion: number): Buffer {
  const head = Buffer.alloc(HEADER_BYTES);
  head.writeUInt8(FORMAT_V1, 0);
  head.writeUInt32BE(keyVersion, 1);
  return head;
}

/** A sealed blob; typed over a plain ArrayBuffer so it can be stored as Prisma `Bytes`. */
export type SealedBlob = Buffer<ArrayBuffer>;

export function seal(key: Buffer, keyVersion: number, plaintext: Buffer, context: string): SealedBlob {
  const head = header(keyVersion);
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  cipher.setAAD(Buffer.concat([head, Buffer.from(context, 'utf8')]));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([head, nonce, body, cipher.getAuthTag()]) as SealedBlob;
}

/** The key version a blob was sealed under (to pick the key that opens it). */
export function blobKeyVersion(blob: Uint8Array, what = 'the blob'): number {
  const buf = Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength);
  if (buf.length < HEADER_BYTES + NONCE_BYTES + TAG_BYTES || buf.readUInt8(0) !== FORMAT_V1) {
    throw new IntegrityError(what);
  }
  return buf.readUInt32BE(1);
}

export function open(keyFor: (version: number) => Buffer | undefined, blob: Uint8Array, context: string, what: string): Buffer {
  const buf = Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength);
  const key = keyFor(blobKeyVersion(buf, what));
  if (!key) throw new IntegrityError(what);
  const head = buf.subarray(0, HEADER_BYTES);
  const nonce = buf.subarray(HEADER_BYTES, HEADER_BYTES + NONCE_BYTES);
  const body = buf.subarray(HEADER_BYTES + NONCE_BYTES, buf.length - TAG_BYTES);
  const tag = buf.subarray(buf.length - TAG_BYTES);
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, nonce);
    decipher.setAAD(Buffer.concat([head, Buffer.from(context, 'utf8')]));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(body), decipher.final()]);
  } catch {
    throw new IntegrityError(what);
  }
}

// The uses of `seal`/`open`: a project's data key under the master key, and a
// secret version's value or a deployment's snapshot under its project's data key.

export const wrapContext = (projectId: string, keyVersion: number) => `keyhold/project-key/${projectId}/${keyVersion}`;
export const valueContext = (secretId: string, version: number) => `keyhold/secret/${secretId}/${version}`;
export const snapshotContext = (deploymentId: string) => `keyhold/deployment/${deploymentId}`;
export const totpSecretContext = (userId: string) => `keyhold/totp-secret/${userId}`;

export function encryptValue(dataKey: Buffer, keyVersion: number, value: string, secretId: string, version: number): SealedBlob {
  return seal(dataKey, keyVersion, Buffer.from(value, 'utf8'), valueContext(secretId, version));
}

export function decryptValue(keyFor: (version: number) => Buffer | undefined, blob: Uint8Array, secretId: string, version: number): string {
  return open(keyFor, blob, valueContext(secretId, version), `secret ${secretId} version ${version}`).toString('utf8');
}
