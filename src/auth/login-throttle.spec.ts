import type { AppConfig } from '../config/config.js';
import { FIRST_WAIT_SECONDS, LoginThrottle } from './login-throttle.js';

const config = { auth: { jwtSecret: 'x'.repeat(40), maxFailures: 3, lockMinutes: 15 } } as AppConfig;

describe('LoginThrottle (issue #12, finding 7)', () => {
  it('makes an address wait after the threshold, each further failure doubling the wait up to LOGIN_LOCK_MINUTES', async () => {
    const throttle = new LoginThrottle(config);
    const keys = throttle.keys('Someone@Example.org ', '10.0.0.1');
    const waits: number[] = [];
    for (let i = 0; i < 12; i++) {
      await throttle.fail(keys);
      waits.push(Math.round((await throttle.waiting(keys)).account / 1000));
    }
    const first = FIRST_WAIT_SECONDS;
    expect(waits.slice(0, 6)).toEqual([0, 0, first, first * 2, first * 4, first * 8]);
    expect(Math.max(...waits)).toBe(15 * 60);
  });

  it('keys the typed address the same whether or not an account has it, never in clear, and forgets it on success', async () => {
    const throttle = new LoginThrottle(config);
    const keys = throttle.keys('ghost@example.org', '10.0.0.2');
    expect(keys.account).not.toContain('ghost');
    expect(throttle.keys(' GHOST@example.org', '10.0.0.9').account).toBe(keys.account);
    for (let i = 0; i < 3; i++) await throttle.fail(keys);
    expect((await throttle.waiting(keys)).account).toBeGreaterThan(0);
    await throttle.succeed(keys);
    expect((await throttle.waiting(keys)).account).toBe(0);
  });

  it('makes an IP wait after four times the account threshold, across addresses', async () => {
    const throttle = new LoginThrottle(config);
    for (let i = 0; i < 11; i++) await throttle.fail(throttle.keys(`user${i}@example.org`, '10.0.0.3'));
    expect((await throttle.waiting(throttle.keys('new@example.org', '10.0.0.3'))).ip).toBe(0);
    await throttle.fail(throttle.keys('user11@example.org', '10.0.0.3'));
    expect((await throttle.waiting(throttle.keys('new@example.org', '10.0.0.3'))).ip).toBeGreaterThan(0);
    expect((await throttle.waiting(throttle.keys('new@example.org', '10.0.0.4'))).ip).toBe(0);
  });
});
