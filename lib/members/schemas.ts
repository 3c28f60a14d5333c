import { z } from 'zod';
import { emailSchema, nameSchema, newPasswordSchema } from '@/lib/auth/schemas';

const INVITABLE_ROLES = ['ADMIN', 'MEMBER'] as const;

export const inviteSchema = z.object({
  email: emailSchema,
  role: z.enum(INVITABLE_ROLES, { error: 'Choose Admin or Member' }),
});
export type InviteInput = z.input<typeof inviteSchema>;

export const changeRoleSchema = z.object({ role: z.enum(['OWNER', 'ADMIN', 'MEMBER'], { error: 'Choose a role' }) });

export const acceptInviteSchema = z.object({ name: nameSchema, password: newPasswordSchema });
export type AcceptInviteInput = z.input<typeof acceptInviteSchema>;

export const INVITE_TTL_DAYS = 7;

export const RESET_TEXT = {
  self: 'Change your own password under Account.',
  otherProjects:
    "This person also belongs to projects you don't own, so you can't reset their password. They can change it under Account, or an owner of all their projects can reset it.",
} as const;
