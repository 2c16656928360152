import { createHmac, randomBytes } from 'node:crypto';
import { Inject, Injectable, type NestMiddleware } from '@nestjs/common';
import { doubleCsrf, type DoubleCsrfUtilities } from 'csrf-csrf';
import type { NextFunction, Request, Response } from 'express';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.js';
import { DomainError } from '../common/domain-error.js';
import { SessionCookies } from '../auth/session-cookies.js';

export const CSRF_FIELD = '_csrf';

export const csrfRefused = () =>
  new DomainError(403, 'CSRF_INVALID', 'The form is missing its anti-forgery token or the token is stale; reload the page.');

/**
 * Anti-forgery tokens for every page form: csrf-csrf's signed double-submit cookie, bound to a
 * random browser-session id (a cookie renewed at sign-in, so a token planted before sign-in is
 * worthless after it). Forms carry the token in a hidden `_csrf` field.
 */
@Injectable()
export class Csrf {
  private readonly utils: DoubleCsrfUtilities;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly sessions: SessionCookies,
  ) {
    const secret = createHmac('sha256', config.auth.jwtSecret).update('tawjih:csrf').digest('hex');
    this.utils = doubleCsrf({
      getSecret: () => secret,
      getSessionIdentifier: (req) => this.sessions.cookie(req, this.sessions.names.sid) ?? '',
      cookieName: sessions.names.csrf,
      cookieOptions: { httpOnly: true, secure: sessions.secure, sameSite: 'lax', path: '/' },
      getCsrfTokenFromRequest: (req) => {
        const v = (req.body as Record<string, unknown> | undefined)?.[CSRF_FIELD];
        return typeof v === 'string' ? v : req.headers['x-csrf-token'];
      },
    });
  }

  /** The browser-session id; a new one when missing or when `renew` (sign-in, sign-out). */
  ensureSession(req: Request, res: Response, renew = false): void {
    if (!renew && this.sessions.cookie(req, this.sessions.names.sid)) return;
    const sid = randomBytes(18).toString('base64url');
    res.cookie(this.sessions.names.sid, sid, this.sessions.options());
    (req.cookies as Record<string, string>)[this.sessions.names.sid] = sid;
  }

  /** The token to put in this page's forms. */
  token(req: Request, res: Response): string {
    this.ensureSession(req, res);
    return this.utils.generateCsrfToken(req, res);
  }

  valid(req: Request): boolean {
    return this.utils.validateRequest(req);
  }
}

/** On page routes: a browser session id for every visitor, and no state-changing request without a valid token. */
@Injectable()
export class CsrfMiddleware implements NestMiddleware {
  constructor(private readonly csrf: Csrf) {}

  use(req: Request & { csrfChecked?: boolean }, res: Response, next: NextFunction): void {
    // A path matched by routes of two page controllers passes here twice: check once.
    if (req.method !== 'GET' && req.method !== 'HEAD' && !req.csrfChecked) {
      req.csrfChecked = true;
      if (!this.csrf.valid(req)) throw csrfRefused();
      delete (req.body as Record<string, unknown>)[CSRF_FIELD];
    }
    next();
  }
}
