import { z } from 'zod';
import { wellFormed } from '@/lib/well-formed.mjs';

export const projectNameSchema = z
  .string()
  .trim()
  .min(1, 'Project name is required')
  .refine(...wellFormed('Project name'))
  .max(64, 'Project name must be at most 64 characters');

export const projectSchema = z.object({ name: projectNameSchema });
export type ProjectInput = z.input<typeof projectSchema>;

export const DEFAULT_ENVIRONMENTS = ['development', 'staging', 'production'] as const;

/** URL-safe slug from a name: lowercase letters, digits and single dashes. */
export function slugify(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 48)
    .replace(/-+$/, '');
  return slug || 'project';
}

/** "production" → "Production": how an environment is named everywhere in the UI. */
export const environmentLabel = (name: string) => name.charAt(0).toUpperCase() + name.slice(1);

export const secondFactorPolicySchema = z.object({ required: z.boolean({ error: 'Choose whether a second factor is required' }) });
export type SecondFactorPolicyInput = z.input<typeof secondFactorPolicySchema>;

export const OWN_SECOND_FACTOR_FIRST = 'Set up your own second factor under Account before requiring one for everyone.';
