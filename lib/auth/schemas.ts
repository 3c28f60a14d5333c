import { z } from 'zod';
import { wellFormed } from '@/lib/well-formed.mjs';

export const emailSchema = z
  .string()
  .trim()
  .min(1, 'Email is required')
  .max(254, 'Email must be at most 254 characters')
  .pipe(z.email('Enter a valid email address'))
  .transform((email) => email.toLowerCase());

export const nameSchema = z
  .string()
  .trim()
  .min(1, 'Name is required')
  .refine(...wellFormed('Name'))
  .max(100, 'Name must be at most 100 characters');

export const newPasswordSchema = z.string().min(12, 'Password must be at least 12 characters').max(256, 'Password must be at most 256 characters');

export const setupSchema = z.object({ name: nameSchema, email: emailSchema, password: newPasswordSchema });
export type SetupInput = z.input<typeof setupSchema>;

export const currentPasswordSchema = z.string().min(1, 'Password is required').max(256, 'Password must be at most 256 characters');

/** A TOTP code or a recovery code (spaces and dashes allowed). */
export const secondFactorCodeSchema = z
  .string()
  .trim()
  .min(1, 'Enter the code from your authenticator app or a recovery code')
  .max(32, 'Enter the code from your authenticator app or a recovery code');

export const loginSchema = z.object({
  email: emailSchema,
  password: currentPasswordSchema,
  /** Asked for once the password is right and the account has a second factor; empty means not given. */
  code: z.string().trim().max(32).optional(),
});
