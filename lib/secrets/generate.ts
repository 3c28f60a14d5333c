import 'server-only';
import { randomInt } from 'node:crypto';
import { GENERATE_ALPHABETS, type GenerateAlphabet } from '@/lib/secrets/schemas';
import { requirePermission } from '@/lib/session';

/**
 * A uniformly random value (node:crypto's randomInt, no modulo bias) of
 * `length` characters from the alphabet, for the Add and Edit dialogs.
 * OWNER/ADMIN only, like every other secret write.
 */
export async function generateSecretValue(projectId: string, { length, alphabet }: { length: number; alphabet: GenerateAlphabet }): Promise<{ value: string }> {
  await requirePermission(projectId, 'manageSecrets');
  return { value: randomValue(length, alphabet) };
}

function randomValue(length: number, alphabet: GenerateAlphabet): string {
  const characters = GENERATE_ALPHABETS[alphabet].characters;
  let value = '';
  for (let i = 0; i < length; i++) value += characters[randomInt(characters.length)];
  return value;
}
