import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { API_MESSAGES, ApiError } from '@/lib/api/errors';
import { env } from '@/lib/env';

// Requests per minute per service token and per client address
// (KEYHOLD_API_RATE_PER_TOKEN, default 1200; KEYHOLD_API_RATE_PER_IP, default
// 6000; 0 turns a limit off). In memory, per process: with several instances
// each allows this much.

export type ApiRateLimits = { perToken: number; perIp: number };

let limiters: { perToken: RateLimiterMemory | null; perIp: RateLimiterMemory | null } | undefined;

const make = (points: number) => (points > 0 ? new RateLimiterMemory({ points, duration: 60 }) : null);

function current() {
  if (!limiters) {
    const config = env();
    limiters = { perToken: make(config.KEYHOLD_API_RATE_PER_TOKEN), perIp: make(config.KEYHOLD_API_RATE_PER_IP) };
  }
  return limiters;
}

/** Replaces the limits (tests, the benchmark); null goes back to the configured ones. */
export function setApiRateLimits(limits: ApiRateLimits | null): void {
  limiters = limits ? { perToken: make(limits.perToken), perIp: make(limits.perIp) } : undefined;
}

async function consume(limiter: RateLimiterMemory | null, key: string): Promise<void> {
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
