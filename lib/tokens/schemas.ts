import { z } from 'zod';
import { wellFormed } from '@/lib/well-formed.mjs';

// Service tokens (DESIGN.md §8): the create form validates with this schema in
// the browser, and the server action re-checks it on the server.

export const TOKEN_SCOPES = ['read', 'read-write'] as const;
export type TokenScope = (typeof TOKEN_SCOPES)[number];

export const TOKEN_SCOPE_LABELS: Record<TokenScope, string> = {
  read: 'Read',
  'read-write': 'Read and write',
};

export const TOKEN_EXPIRY_CHOICES = ['7', '30', '90', 'custom', 'never'] as const;
export type TokenExpiryChoice = (typeof TOKEN_EXPIRY_CHOICES)[number];

export const TOKEN_EXPIRY_LABELS: Record<TokenExpiryChoice, string> = {
  '7': '7 days',
  '30': '30 days',
  '90': '90 days',
  custom: 'Custom date',
  never: 'Never',
};

/** Tokens look like `kh_` + 43 base64url characters (32 random bytes). */
export const TOKEN_PATTERN = /^kh_[A-Za-z0-9_-]{43}$/;
/** How many leading characters of a token are stored and shown to tell tokens apart (`kh_` + 7). */
export const TOKEN_PREFIX_LENGTH = 10;

const MAX_TOKEN_NAME_LENGTH = 100;

export const TOKEN_MESSAGES = {
  nameRequired: 'Token name is required',
  nameTooLong: `Token name must be at most ${MAX_TOKEN_NAME_LENGTH} characters`,
  environmentRequired: 'Choose an environment',
  scopeRequired: 'Choose read or read and write',
  expiryRequired: 'Choose when the token expires',
  dateRequired: 'Choose an expiry date',
  dateInvalid: 'Enter a date as YYYY-MM-DD',
  dateInPast: 'Choose a date in the future',
  alreadyRevoked: 'This token was already revoked.',
} as const;

const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

/** A custom expiry date means "valid through the end of that day (UTC)". */
function endOfDayUtc(date: string): Date | null {
  if (!DATE_PATTERN.test(date)) return null;
  const at = new Date(`${date}T23:59:59.999Z`);
  // Rejects 2026-02-31 and the like: the parsed date must print back the same.
  return Number.isNaN(at.getTime()) || at.toISOString().slice(0, 10) !== date ? null : at;
}

export const createTokenSchema = z
  .object({
    name: z
      .string({ error: TOKEN_MESSAGES.nameRequired })
      .trim()
      .min(1, TOKEN_MESSAGES.nameRequired)
      .refine(...wellFormed('Token name'))
      .max(MAX_TOKEN_NAME_LENGTH, TOKEN_MESSAGES.nameTooLong),
    environmentId: z.string({ error: TOKEN_MESSAGES.environmentRequired }).min(1, TOKEN_MESSAGES.environmentRequired),
    scope: z.enum(TOKEN_SCOPES, { error: TOKEN_MESSAGES.scopeRequired }),
    expiry: z.enum(TOKEN_EXPIRY_CHOICES, { error: TOKEN_MESSAGES.expiryRequired }),
    /** YYYY-MM-DD; read only when `expiry` is `custom`. */
    expiresOn: z.string().default(''),
  })
  .superRefine((input, ctx) => {
    if (input.expiry !== 'custom') return;
    if (!input.expiresOn) {
      ctx.addIssue({ code: 'custom', path: ['expiresOn'], message: TOKEN_MESSAGES.dateRequired });
      return;
    }
    const at = endOfDayUtc(input.expiresOn);
    if (!at) ctx.addIssue({ code: 'custom', path: ['expiresOn'], message: TOKEN_MESSAGES.dateInvalid });
    else if (at.getTime() <= Date.now()) ctx.addIssue({ code: 'custom', path: ['expiresOn'], message: TOKEN_MESSAGES.dateInPast });
  });
export type CreateTokenInput = z.input<typeof createTokenSchema>;
export type CreateTokenData = z.output<typeof createTokenSchema>;

/** When a token made now with these choices expires; null = never. */
export function tokenExpiresAt(input: Pick<CreateTokenData, 'expiry' | 'expiresOn'>, now = Date.now()): Date | null {
  switch (input.expiry) {
    case 'never':
      return null;
    case 'custom':
      return endOfDayUtc(input.expiresOn);
    default:
      return new Date(now + Number(input.expiry) * 86_400_000);
  }
}

/** How a token appears in audit events and logs: `token:ci-prod (kh_abc1234)`. */
export const tokenLabel = (token: { name: string; prefix: string }) => `token:${token.name} (${token.prefix})`;
