// The backup file: one archive holding a manifest and the database dump.
//
//   "KEYHOLD-BACKUP 1\n" ‖ manifest length (uint32 BE) ‖ manifest (JSON)
//   ‖ SHA-256 of the manifest (32 bytes) ‖ payload (the dump, to the end)
//
// The manifest names the payload's SHA-256, so a flipped byte anywhere is
// found. The payload is the database as stored: only ciphertext, never a value.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { KeysError } from '@/lib/keys/batches';

const MAGIC = Buffer.from('KEYHOLD-BACKUP 1\n');
const MAX_MANIFEST = 1 << 20;

export type Manifest = {
  format: 1;
  keyholdVersion: string;
  createdAt: string;
  provider: 'sqlite' | 'postgresql';
  /** The last schema migration applied to the backed-up database. */
  migration: string | null;
  /** Rows per table at the moment of the backup. */
  rowCounts: Record<string, number>;
  /** Master key versions the backup's keys are wrapped under: a restore needs every one. */
  masterKeyVersions: number[];
  payload: { bytes: number; sha256: string };
};

const sha256File = async (file: string, start = 0): Promise<string> => {
  const hash = createHash('sha256');
  await pipeline(fs.createReadStream(file, { start }), hash);
  return hash.digest('hex');
};

/** Writes the archive next to `file` and renames it into place, so a failed backup never leaves a partial file under its name. */
export async function writeArchive(file: string, manifest: Omit<Manifest, 'payload'>, payloadFile: string): Promise<Manifest> {
  const full: Manifest = { ...manifest, payload: { bytes: fs.statSync(payloadFile).size, sha256: await sha256File(payloadFile) } };
  const json = Buffer.from(JSON.stringify(full, null, 2));
  const length = Buffer.alloc(4);
  length.writeUInt32BE(json.length);
  const partial = `${file}.partial`;
  const fd = fs.openSync(partial, 'w', 0o600);
  try {
    fs.writeSync(fd, Buffer.concat([MAGIC, length, json, createHash('sha256').update(json).digest()]));
  } finally {
    fs.closeSync(fd);
  }
  await pipeline(fs.createReadStream(payloadFile), fs.createWriteStream(partial, { flags: 'a' }));
  fs.renameSync(partial, file);
  return full;
}

const notABackup = (file: string) => new KeysError(`${file} is not a Keyhold backup (or its manifest is damaged)`);

/** Reads and checks the manifest; `payloadOffset` is where the dump starts. */
export function readManifest(file: string): { manifest: Manifest; payloadOffset: number } {
  if (!fs.existsSync(file)) throw new KeysError(`${file} does not exist`);
  const fd = fs.openSync(file, 'r');
  try {
    const head = Buffer.alloc(MAGIC.length + 4);
    if (fs.readSync(fd, head, 0, head.length, 0) !== head.length || !head.subarray(0, MAGIC.length).equals(MAGIC)) throw notABackup(file);
    const length = head.readUInt32BE(MAGIC.length);
    if (length > MAX_MANIFEST) throw notABackup(file);
    const body = Buffer.alloc(length + 32);
    if (fs.readSync(fd, body, 0, body.length, head.length) !== body.length) throw notABackup(file);
    const json = body.subarray(0, length);
    if (!createHash('sha256').update(json).digest().equals(body.subarray(length))) {
      throw new KeysError(`${file}: the manifest fails its checksum (the file was altered or damaged)`);
    }
    return { manifest: JSON.parse(json.toString('utf8')) as Manifest, payloadOffset: head.length + body.length };
  } finally {
    fs.closeSync(fd);
  }
}

/** Checks the dump against the manifest's size and SHA-256. */
export async function checkPayload(file: string, manifest: Manifest, payloadOffset: number): Promise<void> {
  const bytes = fs.statSync(file).size - payloadOffset;
  if (bytes !== manifest.payload.bytes || (await sha256File(file, payloadOffset)) !== manifest.payload.sha256) {
    throw new KeysError(`${file}: the database dump fails its checksum (the file was altered or damaged)`);
  }
}

/** Copies the dump out of the archive into its own file. */
export async function extractPayload(file: string, payloadOffset: number, dest: string): Promise<void> {
  await pipeline(fs.createReadStream(file, { start: payloadOffset }), fs.createWriteStream(dest, { mode: 0o600 }));
}
