'use server';

import { revalidatePath } from 'next/cache';
import { runAction } from '@/lib/action-runner';
import { parseInput } from '@/lib/parse-input';
import type { ActionResult } from '@/lib/action-result';
import { createToken, revokeToken } from '@/lib/tokens/mutations';
import { createTokenSchema, type CreateTokenInput } from '@/lib/tokens/schemas';
import type { CreatedToken } from '@/lib/tokens/types';

// Thin: parse with the shared schema, call the data layer (which checks the
// caller's role), revalidate, answer an ActionResult.

const revalidateTokens = () => revalidatePath('/projects/[slug]/settings/tokens', 'page');

export async function createTokenAction(projectId: string, input: CreateTokenInput): Promise<ActionResult<CreatedToken>> {
  return runAction('Failed to create the token. Please, try again.', async () => {
    const result = await createToken(projectId, parseInput(createTokenSchema, input));
    revalidateTokens();
    return result;
  });
}

export async function revokeTokenAction(projectId: string, tokenId: string): Promise<ActionResult> {
  return runAction('Failed to revoke the token. Please, try again.', async () => {
    await revokeToken(projectId, tokenId);
    revalidateTokens();
  });
}
