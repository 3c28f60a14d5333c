'use server';

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

export async function startSecondFactorSetupAction(): Promise<ActionResult<{ secret: string; uri: string; qrCode: string }>> {
  return runAction({ name: 'startSecondFactorSetup', access: 'signed-in' }, () => startSecondFactorSetup());
}

export async function confirmSecondFactorAction(input: ConfirmSecondFactorInput): Promise<ActionResult<{ recoveryCodes: string[] }>> {
  return runAction({ name: 'confirmSecondFactor', access: 'signed-in', schema: confirmSecondFactorSchema, input }, ({ code }) => confirmSecondFactor(code));
}

export async function disableSecondFactorAction(input: DisableSecondFactorInput): Promise<ActionResult> {
  return runAction({ name: 'disableSecondFactor', access: 'signed-in', schema: disableSecondFactorSchema, input }, disableSecondFactor);
}

/** Ends every other session; this browser gets a new session at once and stays signed in. */
export async function changePasswordAction(input: ChangePasswordInput): Promise<ActionResult> {
  return runAction({ name: 'changePassword', access: 'signed-in', schema: changePasswordSchema, input }, async (values) => {
    await reissueSession(await changePassword(values));
  });
}

export async function resetPasswordAction(token: string, input: ResetPasswordInput): Promise<ActionResult<{ email: string }>> {
  return runAction({ name: 'resetPassword', access: 'public', schema: resetPasswordSchema, input }, ({ password }) => resetPasswordWithLink(token, password));
}
