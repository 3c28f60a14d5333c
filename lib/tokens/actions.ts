'use server';

import { runAction } from '@/lib/action-runner';
import type { ActionResult } from '@/lib/action-result';
import { createToken, revokeToken } from '@/lib/tokens/mutations';
import { createTokenSchema, type CreateTokenInput } from '@/lib/tokens/schemas';
import type { CreatedToken } from '@/lib/tokens/types';

export async function createTokenAction(projectId: string, input: CreateTokenInput): Promise<ActionResult<CreatedToken>> {
  return runAction({ name: 'createToken', access: { projectId, verb: 'manageTokens' }, schema: createTokenSchema, input }, (values) =>
    createToken(projectId, values),
  );
}

export async function revokeTokenAction(projectId: string, tokenId: string): Promise<ActionResult> {
  return runAction({ name: 'revokeToken', access: { projectId, verb: 'manageTokens' } }, () => revokeToken(projectId, tokenId));
}
