import { Inject, Injectable, Logger } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import type { CookieOptions, Request, Response } from 'express';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.js';
import { isOutage } from '../common/outage.js';
import { AuthService } from './auth.service.js';
import type { TokenPair } from './dto/auth.dto.js';

/**
 * Pages (everything outside /api, /health and /assets) authenticate with cookies; the API only
 * with the Authorization header, so a cookie never authorises an API call (no CSRF there).
 */
export function isPagePath(path: string): boolean {
  // /fhir serves FHIR resources to machines: its problems are problem+json, never a page.
  return !/^\/(api|health|assets|fhir)(\/|$)/.test(path);
}

export interface SessionRequest extends Request {
  /** The access token the guard resolved from the session cookies (read by JwtStrategy). */
  sessionAccessToken?: string;
}

/**
 * The browser session: the same access and refresh tokens the API hands out, kept in http-only
 * cookies (SameSite=Lax, Secure and `__Host-` prefixed when PUBLIC_URL is https). An expired
 * access token is renewed from the refresh cookie by the global guard (rotation, reuse detection
 * and all, as in POST /api/v1/auth/refresh).
 */
@Injectable()
export class SessionCookies {
  private readonly logger = new Logger('SessionCookies');
  readonly secure: boolean;
  readonly names: { access: string; refresh: string; sid: string; csrf: string; lang: string };

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly jwt: JwtService,
    private readonly auth: AuthService,
  ) {
    this.secure = config.publicUrl.startsWith('https:');
    const p = this.secure ? '__Host-' : '';
    this.names = { access: `${p}tawjih_at`, refresh: `${p}tawjih_rt`, sid: `${p}tawjih_sid`, csrf: `${p}tawjih_csrf`, lang: 'tawjih_lang' };
  }

  options(maxAgeMs?: number): CookieOptions {
    return { httpOnly: true, secure: this.secure, sameSite: 'lax', path: '/', ...(maxAgeMs ? { maxAge: maxAgeMs } : {}) };
  }

  cookie(req: Request, name: string): string | undefined {
    const v = (req.cookies as Record<string, unknown> | undefined)?.[name];
    return typeof v === 'string' && v.length > 0 && v.length < 4096 ? v : undefined;
  }

  /** A new signed-in session. */
  start(res: Response, pair: TokenPair): void {
    res.cookie(this.names.access, pair.accessToken, this.options(pair.expiresIn * 1000));
    res.cookie(this.names.refresh, pair.refreshToken, this.options(this.config.auth.refreshTtlDays * 86_400_000));
  }

  clear(res: Response): void {
    for (const name of [this.names.access, this.names.refresh]) res.clearCookie(name, this.options());
  }

  /** Ends the session: the refresh-token family is revoked and the cookies cleared. */
  async end(req: Request, res: Response): Promise<void> {
    const refresh = this.cookie(req, this.names.refresh);
    if (refresh) await this.auth.logout(refresh);
    this.clear(res);
  }

  /**
   * The access token of this page request: the cookie's when still valid, otherwise a fresh one
   * from the refresh cookie (whose new pair replaces the cookies). Null: not signed in.
   */
  async resolve(req: Request, res: Response): Promise<string | null> {
    const access = this.cookie(req, this.names.access);
    if (access) {
      try {
        await this.jwt.verifyAsync(access);
        return access;
      } catch {
        // expired or tampered: fall through to the refresh cookie
      }
    }
    const refresh = this.cookie(req, this.names.refresh);
    if (!refresh) return null;
    try {
      const pair = await this.auth.refresh(refresh, this.cookie(req, this.names.sid));
      this.start(res, pair);
      return pair.accessToken;
    } catch (e) {
      // The database away is no reason to end the session: answer the outage, keep the cookies.
      if (isOutage(e)) throw e;
      this.logger.debug({ code: (e as { code?: string }).code }, 'session refresh refused');
      this.clear(res);
      return null;
    }
  }
}
