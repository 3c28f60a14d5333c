'use server';

import { runAction } from '@/lib/action-runner';
import { parseInput } from '@/lib/parse-input';
import type { ActionResult } from '@/lib/action-result';
import { setupSchema, type SetupInput } from '@/lib/auth/schemas';
import { signOutEverywhere } from '@/lib/auth/mutations';
import { createFirstAccount } from '@/lib/auth/setup';

export async function createFirstAccountAction(input: SetupInput): Promise<ActionResult> {
  return runAction('Failed to create the account. Please, try again.', () => createFirstAccount(parseInput(setupSchema, input)));
}

export async function signOutEverywhereAction(): Promise<ActionResult> {
  return runAction('Failed to sign out everywhere. Please, try again.', () => signOutEverywhere());
}
