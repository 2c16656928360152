import { createSecretKey } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.js';
import type { Actor } from '../authorization/actor.js';
import type { AccessClaims } from './tokens.service.js';
import type { SessionRequest } from './session-cookies.js';
import { rememberingVerifier, type JwtVerifier } from './verified-tokens.js';
import { RememberedCallers } from '../users/remembered-callers.js';

// Every request's token passes passport-jwt's verification hook: a token verified once is not
// verified again until it expires (verified-tokens.ts).
const hook = Strategy as unknown as { JwtVerifier: JwtVerifier };
hook.JwtVerifier = rememberingVerifier(hook.JwtVerifier);

/** The parts of passport-jwt's Strategy (set by its constructor from our options) that actorFor uses. */
interface PassportJwtInternals {
  _jwtFromRequest(req: unknown): string | null;
  _secretOrKeyProvider(req: unknown, token: string, done: (err: unknown, key?: unknown) => void): void;
  _verifOpts: unknown;
}

export interface AuthenticatedActor extends Actor {
  mfa: boolean;
}

/**
 * Bearer JWT, HS256 only (so `alg: none` and key confusion fail), with our issuer. The caller comes
 * from the database, not from the token: a disabled account or changed roles stop a token at once,
 * and so does signing out (its session, `sid`, is checked in the same query). It is read once and
 * remembered until PostgreSQL announces a change to it (users/remembered-callers.ts).
 */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly callers: RememberedCallers,
  ) {
    super({
      // The header (API), or the token the guard resolved from a page's session cookies.
      jwtFromRequest: ExtractJwt.fromExtractors([
        ExtractJwt.fromAuthHeaderAsBearerToken(),
        (req: SessionRequest) => req.sessionAccessToken ?? null,
      ]),
      // A KeyObject, made once: given a string, jsonwebtoken tries (and fails) to parse it as a
      // public key on every request before falling back to a secret key — measurable CPU per call.
      secretOrKey: createSecretKey(Buffer.from(config.auth.jwtSecret, 'utf8')) as unknown as string,
      issuer: config.auth.issuer,
      audience: 'tawjih-api',
      algorithms: ['HS256'],
      ignoreExpiration: false,
    });
  }

  /**
   * What passport's authenticate would conclude for this request with this strategy — the same
   * extractors, key, verification hook (verified-tokens.ts) and options, then `validate` — without
   * passport's per-request machinery (a middleware, a strategy object and closures built for every
   * request: issue #18). The actor, or false when the request carries no token that counts; an error
   * of `validate` (the database away) is thrown, as passport hands it to the guard.
   */
  actorFor(req: SessionRequest): Promise<AuthenticatedActor | false> {
    const own = this as unknown as PassportJwtInternals;
    const token = own._jwtFromRequest(req);
    if (!token) return Promise.resolve(false);
    return new Promise((resolve, reject) =>
      own._secretOrKeyProvider(req, token, (keyError, key) => {
        if (keyError) return resolve(false);
        hook.JwtVerifier(token, key, own._verifOpts, (jwtError, claims) => {
          if (jwtError) return resolve(false);
          this.validate(claims as AccessClaims).then((actor) => resolve(actor || false), reject);
        });
      }),
    );
  }

  async validate(claims: AccessClaims): Promise<AuthenticatedActor | false> {
    if (typeof claims.sub !== 'string' || typeof claims.tv !== 'number') return false;
    const sid = typeof claims.sid === 'string' && /^[0-9a-f-]{36}$/.test(claims.sid) ? claims.sid : null;
    const actor = await this.callers.actorFor(claims.sub, claims.tv, sid);
    return actor ? { ...actor, mfa: claims.mfa === true } : false;
  }
}
