'use server';

import { runAction } from '@/lib/action-runner';
import type { ActionResult } from '@/lib/action-result';
import { setupSchema, type SetupInput } from '@/lib/auth/schemas';
import { signOutEverywhere } from '@/lib/auth/mutations';
import { createFirstAccount } from '@/lib/auth/setup';

/** Public: the data layer refuses once any account exists. */
export async function createFirstAccountAction(input: SetupInput): Promise<ActionResult> {
  return runAction({ name: 'createFirstAccount', access: 'public', schema: setupSchema, input }, createFirstAccount);
}

export async function signOutEverywhereAction(): Promise<ActionResult> {
  return runAction({ name: 'signOutEverywhere', access: 'signed-in' }, () => signOutEverywhere());
}
