// Where master-sealed blobs are stored (table, column): lib/keys/blobs.ts
// rewrites them, and a backup reads the master key versions its dump needs
// from them (lib/backup, which must not import the database client early).
import { blobKeyVersion } from '@/lib/crypto/envelope';

export const MASTER_SEALED_COLUMNS = [
  { table: 'ProjectKey', column: 'wrappedKey' },
  { table: 'User', column: 'totpSecret' },
] as const;

/** The distinct master key versions named by these blob headers (a damaged header names none). */
export function headerVersions(blobs: Iterable<Uint8Array>): number[] {
  const versions = new Set<number>();
  for (const blob of blobs) {
    try {
      versions.add(blobKeyVersion(blob));
    } catch {
      // A damaged header: `backup --verify` names it.
    }
  }
  return [...versions].sort((a, b) => a - b);
}
