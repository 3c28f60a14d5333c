import { API_MESSAGES, ApiError } from '@/lib/api/errors';
import { env } from '@/lib/env';
import { createHotPathRateLimiter, RateLimiterRes, type Limiter } from '@/lib/rate-limits';

// Requests per minute per service token and per client address
// (KEYHOLD_API_RATE_PER_TOKEN, default 1200; KEYHOLD_API_RATE_PER_IP, default
// 6000; 0 turns a limit off). Shared by every instance on PostgreSQL
// (lib/rate-limits.ts: answered in memory while far from the limit), in memory on SQLite.
// Deployments (POST /api/v1/deployments) also count per environment: each one
// decrypts and seals the whole environment and may call its hook.

/** Deployments per minute per environment through the API. */
export const DEPLOYS_PER_MINUTE = 10;

export type ApiRateLimits = { perToken: number; perIp: number; deploysPerEnvironment?: number };

let limiters: { perToken: Limiter | null; perIp: Limiter | null; deploys: Limiter | null } | undefined;
let generation = 0;

// A new name per replacement (tests), so new limits start from zero in the shared table.
const make = (name: string, points: number) => (points > 0 ? createHotPathRateLimiter(`${name}-${generation}`, points, 60) : null);

function current() {
  if (!limiters) {
    const config = env();
    limiters = {
      perToken: make('api-token', config.KEYHOLD_API_RATE_PER_TOKEN),
      perIp: make('api-address', config.KEYHOLD_API_RATE_PER_IP),
      deploys: make('api-deploys', DEPLOYS_PER_MINUTE),
    };
  }
  return limiters;
}

/** Replaces the limits (tests, the benchmark); null goes back to the configured ones. */
export function setApiRateLimits(limits: ApiRateLimits | null): void {
  generation++;
  limiters = limits
    ? {
        perToken: make('api-token', limits.perToken),
        perIp: make('api-address', limits.perIp),
        deploys: make('api-deploys', limits.deploysPerEnvironment ?? DEPLOYS_PER_MINUTE),
      }
    : undefined;
}

async function consume(limiter: Limiter | null, key: string): Promise<void> {
  if (!limiter) return;
  try {
    await limiter.consume(key);
  } catch (rejection) {
    if (!(rejection instanceof RateLimiterRes)) throw rejection;
    const seconds = Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
    throw new ApiError('rate_limited', API_MESSAGES.rateLimited(seconds), {
      headers: { 'retry-after': String(seconds) },
      retryAfter: seconds,
    });
  }
}

export const limitAddress = (ip: string) => consume(current().perIp, ip);
export const limitToken = (tokenId: string) => consume(current().perToken, tokenId);
export const limitDeploys = (environmentId: string) => consume(current().deploys, environmentId);
