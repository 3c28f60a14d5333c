import path from 'node:path';
import { z } from 'zod';

// The one reader of process.env. Read lazily, so `next build` works without
// runtime secrets; server.ts resolves the development defaults before Next loads.
const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  DATABASE_URL: z.string().min(1).default('file:./data/keyhold.db'),
  KEYHOLD_MASTER_KEY: z.string({ error: 'KEYHOLD_MASTER_KEY is not set' }).min(1, 'KEYHOLD_MASTER_KEY is not set'),
  NEXTAUTH_SECRET: z
    .string({ error: 'NEXTAUTH_SECRET is not set' })
    .min(32, 'NEXTAUTH_SECRET must be at least 32 characters'),
  NEXTAUTH_URL: z.url().optional(),
  /** Sign-in attempts allowed per email and address within 15 minutes. */
  KEYHOLD_LOGIN_ATTEMPTS: z.coerce.number().int().positive().default(10),
});

export type Env = z.infer<typeof schema>;

let cached: Env | undefined;

export function env(): Env {
  if (!cached) {
    const parsed = schema.safeParse(process.env);
    if (!parsed.success) {
      throw new Error(`Invalid configuration: ${parsed.error.issues.map((i) => i.message).join('; ')}`);
    }
    cached = parsed.data;
  }
  return cached;
}

/** The SQLite file behind a `file:` DATABASE_URL, resolved against the working directory. */
export function sqliteFile(url: string): string {
  return path.resolve(url.replace(/^file:/, '').replace(/\?.*$/, ''));
}
