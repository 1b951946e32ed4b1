import { RateLimiterDrizzle, RateLimiterRes } from 'rate-limiter-flexible'
import type { Db } from '#db/client'
import { rateLimits } from '#db/schema'

export type RateLimits = ReturnType<typeof createRateLimits>
export type Limiter = RateLimiterDrizzle

/**
 * Limits shared by every web process through the database. Windows of 15 minutes, as most
 * sign-in systems use; the numbers allow a person a few mistakes and stop guessing.
 */
export function createRateLimits(db: Db) {
  const make = (keyPrefix: string, points: number, duration: number) =>
    new RateLimiterDrizzle({ storeClient: db, schema: rateLimits, keyPrefix, points, duration, clearExpiredByTimeout: false })
  return {
    linkPerEmail: make('link-email', 5, 15 * 60),
    linkPerIp: make('link-ip', 30, 15 * 60),
    passwordPerEmail: make('password-email', 10, 15 * 60),
    passwordPerIp: make('password-ip', 50, 15 * 60),
    tokenPerIp: make('token-ip', 60, 15 * 60),
  }
}

/** Consumes one point for each key; returns the seconds to wait when any is exhausted. */
export async function consume(...checks: [Limiter, string][]): Promise<{ ok: true } | { ok: false; retryAfter: number }> {
  let retryAfter = 0
  for (const [limiter, key] of checks) {
    try {
      await limiter.consume(key.toLowerCase())
    } catch (error) {
      if (!(error instanceof RateLimiterRes)) throw error
      retryAfter = Math.max(retryAfter, Math.ceil(error.msBeforeNext / 1000))
    }
  }
  return retryAfter > 0 ? { ok: false, retryAfter } : { ok: true }
}
