'use server';

import { revalidatePath } from 'next/cache';
import { runAction } from '@/lib/action-runner';
import type { ActionResult } from '@/lib/action-result';
import { changePassword, confirmSecondFactor, disableSecondFactor, resetPasswordWithLink, startSecondFactorSetup } from '@/lib/account/mutations';
import {
  changePasswordSchema,
  confirmSecondFactorSchema,
  disableSecondFactorSchema,
  resetPasswordSchema,
  type ChangePasswordInput,
  type ConfirmSecondFactorInput,
  type DisableSecondFactorInput,
  type ResetPasswordInput,
} from '@/lib/account/schemas';
import { reissueSession } from '@/lib/auth/sign-in';
import { parseInput } from '@/lib/parse-input';

// The second factor changes what every project page shows (a project may require one).
const revalidateAccount = () => revalidatePath('/', 'layout');

export async function startSecondFactorSetupAction(): Promise<ActionResult<{ secret: string; uri: string; qrCode: string }>> {
  return runAction('Failed to start setting up the second factor. Please, try again.', () => startSecondFactorSetup());
}

export async function confirmSecondFactorAction(input: ConfirmSecondFactorInput): Promise<ActionResult<{ recoveryCodes: string[] }>> {
  return runAction('Failed to turn on the second factor. Please, try again.', async () => {
    const result = await confirmSecondFactor(parseInput(confirmSecondFactorSchema, input).code);
    revalidateAccount();
    return result;
  });
}

export async function disableSecondFactorAction(input: DisableSecondFactorInput): Promise<ActionResult> {
  return runAction('Failed to turn off the second factor. Please, try again.', async () => {
    await disableSecondFactor(parseInput(disableSecondFactorSchema, input));
    revalidateAccount();
  });
}

/** Ends every other session; this browser gets a new session at once and stays signed in. */
export async function changePasswordAction(input: ChangePasswordInput): Promise<ActionResult> {
  return runAction('Failed to change the password. Please, try again.', async () => {
    const session = await changePassword(parseInput(changePasswordSchema, input));
    await reissueSession(session);
  });
}

export async function resetPasswordAction(token: string, input: ResetPasswordInput): Promise<ActionResult<{ email: string }>> {
  return runAction('Failed to set the new password. Please, try again.', () =>
    resetPasswordWithLink(token, parseInput(resetPasswordSchema, input).password),
  );
}
