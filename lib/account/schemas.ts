import { z } from 'zod';
import { currentPasswordSchema, newPasswordSchema, secondFactorCodeSchema } from '@/lib/auth/schemas';

export const confirmSecondFactorSchema = z.object({
  code: z
    .string()
    .transform((code) => code.replace(/\s/g, ''))
    .pipe(z.string().regex(/^\d{6}$/, 'Enter the 6-digit code from your authenticator app')),
});
export type ConfirmSecondFactorInput = z.input<typeof confirmSecondFactorSchema>;

export const disableSecondFactorSchema = z.object({ password: currentPasswordSchema, code: secondFactorCodeSchema });
export type DisableSecondFactorInput = z.input<typeof disableSecondFactorSchema>;

export const changePasswordSchema = z.object({
  currentPassword: z.string().min(1, 'Current password is required').max(256, 'Password must be at most 256 characters'),
  newPassword: newPasswordSchema,
});
export type ChangePasswordInput = z.input<typeof changePasswordSchema>;

export const resetPasswordSchema = z.object({ password: newPasswordSchema });
export type ResetPasswordInput = z.input<typeof resetPasswordSchema>;

export const PASSWORD_RESET_TTL_MINUTES = 60;

export const ACCOUNT_TEXT = {
  wrongPassword: 'Password is incorrect',
  wrongCurrentPassword: 'Current password is incorrect',
  samePassword: 'Choose a new password different from the current one',
  wrongCode: 'That code is not valid. Enter the current code from your authenticator app or an unused recovery code.',
  wrongEnrolmentCode: 'That code is not valid. Check that the time on your device is right and enter the current code.',
  noEnrolment: 'Start setting up the second factor again.',
  alreadyOn: 'Your second factor is already on.',
  notOn: 'Your second factor is already off.',
  tooManyAttempts: 'Too many attempts. Wait 15 minutes and try again.',
  resetLinkInvalid: 'This reset link is invalid, was already used, or has expired. Ask a project owner for a new one.',
} as const;
