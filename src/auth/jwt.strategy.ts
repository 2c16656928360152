import { createSecretKey } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.js';
import type { Actor } from '../authorization/actor.js';
import { UsersRepository } from '../users/users.repository.js';
import type { AccessClaims } from './tokens.service.js';
import type { SessionRequest } from './session-cookies.js';
import { rememberingVerifier, type JwtVerifier } from './verified-tokens.js';

// Every request's token passes passport-jwt's verification hook: a token verified once is not
// verified again until it expires (verified-tokens.ts).
const hook = Strategy as unknown as { JwtVerifier: JwtVerifier };
hook.JwtVerifier = rememberingVerifier(hook.JwtVerifier);

export interface AuthenticatedActor extends Actor {
  mfa: boolean;
}

/**
 * Bearer JWT, HS256 only (so `alg: none` and key confusion fail), with our issuer. The user is
 * re-read on every request: a disabled account or changed roles stop a token at once, and so does
 * signing out (its session, `sid`, is checked in the same query).
 */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly users: UsersRepository,
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

  async validate(claims: AccessClaims): Promise<AuthenticatedActor | false> {
    if (typeof claims.sub !== 'string' || typeof claims.tv !== 'number') return false;
    const sid = typeof claims.sid === 'string' && /^[0-9a-f-]{36}$/.test(claims.sid) ? claims.sid : null;
    const actor = await this.users.actorFor(claims.sub, claims.tv, sid);
    return actor ? { ...actor, mfa: claims.mfa === true } : false;
  }
}
