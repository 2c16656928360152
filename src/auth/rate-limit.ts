import type { Request, Response } from 'express';
import { rateLimit, type RateLimitRequestHandler } from 'express-rate-limit';
import type { AppConfig } from '../config/config.js';
import { toProblem } from '../common/problem.filter.js';
import { DomainError } from '../common/domain-error.js';
import { isPagePath } from './session-cookies.js';

const RATE_LIMITED_PAGE = `<!doctype html><html lang="fr"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Tawjih</title></head>
<body><main><h1>Trop d’essais</h1><p>Trop d’essais depuis cette adresse ; réessayez dans une minute.</p>
<p lang="ar" dir="rtl">محاولات كثيرة من هذا العنوان؛ حاول بعد دقيقة.</p>
<p lang="en">Too many attempts from this address; try again in a minute.</p><p><a href="/login">Tawjih</a></p></main></body></html>`;

/** Paths where guessing happens: sign-in, token refresh, set-password (API and pages). */
export const RATE_LIMITED_PATHS = ['/api/v1/auth/login', '/api/v1/auth/refresh', '/api/v1/auth/logout', '/api/v1/auth/set-password', '/login', '/logout', '/set-password'];

/** The 429 answer of every limiter: a small page for browsers, problem+json for the API. */
function tooMany(req: Request, res: Response): void {
  if (isPagePath(req.originalUrl.split('?')[0] ?? '')) {
    // A sign-in page in a browser: a plain page in the three languages (no template machinery here).
    res.status(429).type('html').send(RATE_LIMITED_PAGE);
    return;
  }
  const p = toProblem(new DomainError(429, 'RATE_LIMITED', 'Too many attempts from this address; try again in a minute.'));
  res.status(429).type('application/problem+json').send(JSON.stringify({ ...p, instance: req.path, correlationId: (req as { id?: string }).id }));
}

/**
 * Per-IP limit on every request but static assets (issue #12: every public route is limited), ahead
 * of body parsing so a flood costs no parse. Generous: a unit's staff may share one address.
 */
export function requestRateLimiter(config: AppConfig, assetsPrefix: string): RateLimitRequestHandler {
  return rateLimit({
    windowMs: 60_000,
    limit: config.http.ratePerMinute,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    skip: (req) => req.path.startsWith(assetsPrefix),
    handler: tooMany,
  });
}

/**
 * Per-IP limit on the sign-in routes (per-account lockout is in AuthService). In memory: one
 * process per deployment today; several instances would need express-rate-limit's shared store.
 */
export function authRateLimiter(config: AppConfig): RateLimitRequestHandler {
  return rateLimit({
    windowMs: 60_000,
    limit: config.auth.loginRatePerMinute,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    skip: (req) => req.method !== 'POST',
    handler: tooMany,
  });
}
