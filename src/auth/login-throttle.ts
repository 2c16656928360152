import { createHmac } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { RateLimiterMemory } from 'rate-limiter-flexible';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.js';

/** The first wait once the failures reach LOGIN_MAX_FAILURES; each further failure doubles it, up to LOGIN_LOCK_MINUTES. */
export const FIRST_WAIT_SECONDS = 15;
/** An address (IP) may fail this many times more than one account before it waits too. */
const IP_FACTOR = 4;
/** Consecutive failures are forgotten a day after the last one. */
const FAILURE_MEMORY_SECONDS = 86_400;

/**
 * Growing waits after failed sign-ins, per typed e-mail address and per IP (issue #12, finding 7).
 * Keyed by the address as typed, whether or not an account has it, so an unknown address and a
 * known one get the same answers at the same moments: the throttle tells nobody who has an account.
 * In memory (one process per deployment, as the per-IP limiter).
 */
@Injectable()
export class LoginThrottle {
  private readonly failures = new RateLimiterMemory({ keyPrefix: 'login-fail', points: Number.MAX_SAFE_INTEGER, duration: FAILURE_MEMORY_SECONDS });
  private readonly waits = new RateLimiterMemory({ keyPrefix: 'login-wait', points: 1, duration: 1 });

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  /** The throttle keys of one attempt; the address is never kept in clear, even in memory. */
  keys(email: string, ip: string | null | undefined): { account: string; ip: string } {
    const account = createHmac('sha256', this.config.auth.jwtSecret).update(email.trim().toLowerCase()).digest('base64url');
    return { account: `a:${account}`, ip: `i:${ip ?? 'unknown'}` };
  }

  /** Milliseconds each key must still wait (0: free to try). */
  async waiting(keys: { account: string; ip: string }): Promise<{ account: number; ip: number }> {
    const [a, i] = await Promise.all([this.waits.get(keys.account), this.waits.get(keys.ip)]);
    const left = (r: Awaited<ReturnType<RateLimiterMemory['get']>>) => (r && r.consumedPoints > 1 ? r.msBeforeNext : 0);
    return { account: left(a), ip: left(i) };
  }

  /** A failed attempt: counts on both keys and, past the threshold, makes each wait (doubling). */
  async fail(keys: { account: string; ip: string }): Promise<void> {
    const max = this.config.auth.maxFailures;
    await Promise.all([this.count(keys.account, max), this.count(keys.ip, max * IP_FACTOR)]);
  }

  /** The owner signed in: the account's count starts again (the IP's does not). */
  async succeed(keys: { account: string }): Promise<void> {
    await Promise.all([this.failures.delete(keys.account), this.waits.delete(keys.account)]);
  }

  private async count(key: string, threshold: number): Promise<void> {
    const n = (await this.failures.penalty(key, 1)).consumedPoints;
    if (n < threshold) return;
    const seconds = Math.min(FIRST_WAIT_SECONDS * 2 ** (n - threshold), this.config.auth.lockMinutes * 60);
    await this.waits.block(key, seconds);
  }
}
