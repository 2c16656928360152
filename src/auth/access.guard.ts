import { Injectable, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { abilityFor } from '../authorization/ability.factory.js';
import { ALLOW_WITHOUT_MFA, IS_PUBLIC, POLICIES, type AuthedRequest, type PolicyHandler } from '../authorization/policies.js';
import { isOutage } from '../common/outage.js';
import { AuthErrors } from './auth.errors.js';
import { AuthService } from './auth.service.js';
import { JwtStrategy, type AuthenticatedActor } from './jwt.strategy.js';
import { isPagePath, SessionCookies, type SessionRequest } from './session-cookies.js';

/**
 * The one global guard. Public routes pass (a valid token, if sent, still identifies the caller,
 * e.g. for directory tiers). Every other route needs a valid access token, a second factor where
 * required, and a declared policy that the caller's ability satisfies. No policy: refused.
 * Pages carry the same tokens in session cookies (see session-cookies.ts): the guard picks the
 * access token from there, renewing it from the refresh cookie when it has expired.
 */
@Injectable()
export class AccessGuard extends AuthGuard('jwt') {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
    private readonly sessions: SessionCookies,
    private readonly jwt: JwtStrategy,
  ) {
    super();
  }

  override async canActivate(ctx: ExecutionContext): Promise<boolean> {
    if (ctx.getType() !== 'http') return true;
    const targets = [ctx.getHandler(), ctx.getClass()];
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets);
    const req = ctx.switchToHttp().getRequest<AuthedRequest & SessionRequest>();
    if (!req.headers.authorization && isPagePath(req.path)) {
      req.sessionAccessToken = (await this.sessions.resolve(req, ctx.switchToHttp().getResponse())) ?? undefined;
    }
    if (isPublic) {
      if (req.headers.authorization) await this.authenticate(req);
      else if (req.sessionAccessToken) {
        // A session that no longer counts (disabled account…) on a public page: carry on anonymously.
        await this.authenticate(req).catch((e: unknown) => {
          if (isOutage(e)) throw e;
          req.user = undefined;
        });
      }
      req.ability = abilityFor(req.user);
      return true;
    }
    await this.authenticate(req);
    const actor = req.user as AuthenticatedActor;
    if (!actor.mfa && this.auth.mfaRequiredFor(actor) && !this.reflector.getAllAndOverride<boolean>(ALLOW_WITHOUT_MFA, targets)) {
      throw AuthErrors.mfaRequired();
    }
    const ability = abilityFor(actor);
    req.ability = ability;
    const policies = this.reflector.get<PolicyHandler[] | undefined>(POLICIES, ctx.getHandler());
    if (!policies?.length) throw AuthErrors.noPolicy();
    if (!policies.every((p) => p(ability))) throw AuthErrors.forbidden();
    return true;
  }

  /**
   * The caller from the token, as AuthGuard('jwt') sets it (`req.user`, or handleRequest's error),
   * through the strategy directly rather than through passport (JwtStrategy.actorFor).
   */
  private async authenticate(req: AuthedRequest): Promise<void> {
    let actor: AuthenticatedActor | false;
    try {
      actor = await this.jwt.actorFor(req as never);
    } catch (e) {
      this.handleRequest(e, undefined);
      return;
    }
    (req as { user?: unknown }).user = this.handleRequest(null, actor);
  }

  /** Only a bad token is 401: a strategy that could not read the user (database away) is an outage, 503. */
  override handleRequest<T>(err: unknown, user: T): T {
    if (err && isOutage(err)) throw err;
    if (err || !user) throw AuthErrors.tokenInvalid();
    return user;
  }
}
