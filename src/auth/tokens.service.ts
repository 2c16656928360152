import { randomBytes, randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.js';
import { sha256 } from '../users/users.service.js';
import type { User } from '../users/user.entity.js';
import { RefreshTokensRepository } from './refresh-tokens.repository.js';
import { AuthErrors } from './auth.errors.js';
import type { TokenPair } from './dto/auth.dto.js';

export interface AccessClaims {
  sub: string;
  tv: number;
  mfa: boolean;
  /** The session (refresh-token family): signing out revokes it, and the access token dies with it. */
  sid: string;
}

/** How long the browser session that spent a refresh token may present it again (concurrent page loads). */
export const REUSE_GRACE_SECONDS = 10;

@Injectable()
export class TokensService {
  constructor(
    private readonly jwt: JwtService,
    private readonly refreshTokens: RefreshTokensRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** A new session: a new refresh-token family. */
  issue(user: User, mfa: boolean): Promise<TokenPair> {
    return this.pair(user, mfa, randomUUID());
  }

  /**
   * Rotation: the presented token is spent and the next one issued in its family. A spent token
   * presented again means it was copied: the whole family is revoked — except when the browser
   * session that spent it presents it again within REUSE_GRACE_SECONDS: two page requests that
   * found the same expired access cookie at once. That one gets a fresh pair of the same family.
   * `session` is the pages' browser-session id; API clients have none, so no grace for them.
   */
  async rotate(presented: string, loadUser: (id: string) => Promise<User | null>, session?: string): Promise<TokenPair> {
    const [id, secret] = presented.split('.');
    if (!id || !secret || !/^[0-9a-f-]{36}$/.test(id)) throw AuthErrors.refreshInvalid();
    const stored = await this.refreshTokens.findById(id);
    if (!stored || stored.secretHash !== sha256(secret)) throw AuthErrors.refreshInvalid();
    if (stored.revokedAt || stored.expiresAt < new Date()) throw AuthErrors.refreshInvalid();
    const sessionHash = session ? sha256(session) : null;
    if (!(await this.refreshTokens.spend(id, sessionHash))) {
      if (!sessionHash || !(await this.refreshTokens.spentRecentlyBy(id, sessionHash, REUSE_GRACE_SECONDS))) {
        await this.refreshTokens.revokeFamily(stored.familyId);
        throw AuthErrors.refreshReused();
      }
    }
    const user = await loadUser(stored.userId);
    if (!user || user.status !== 'active' || user.tokenVersion !== stored.tokenVersion) {
      // The account's sessions were ended (password, reset, disable, roles, MFA): this one too.
      await this.refreshTokens.revokeFamily(stored.familyId);
      throw AuthErrors.refreshInvalid();
    }
    return this.pair(user, stored.mfa, stored.familyId);
  }

  async revoke(presented: string): Promise<void> {
    const [id, secret] = presented.split('.');
    if (!id || !secret || !/^[0-9a-f-]{36}$/.test(id)) return;
    const stored = await this.refreshTokens.findById(id);
    if (stored && stored.secretHash === sha256(secret)) await this.refreshTokens.revokeFamily(stored.familyId);
  }

  /** Ends the session an access token names (its refresh family), when the token is genuine. */
  async revokeSessionOf(accessToken: string): Promise<void> {
    const claims = await this.jwt.verifyAsync<AccessClaims>(accessToken).catch(() => null);
    if (claims?.sid) await this.refreshTokens.revokeFamily(claims.sid);
  }

  /** Ends every session of the account; the caller has bumped its token version (access tokens die with it). */
  revokeAll(userId: string): Promise<void> {
    return this.refreshTokens.revokeAllOfUser(userId);
  }

  private async pair(user: User, mfa: boolean, familyId: string): Promise<TokenPair> {
    const claims: AccessClaims = { sub: user.id, tv: user.tokenVersion, mfa, sid: familyId };
    const accessToken = await this.jwt.signAsync(claims);
    const id = randomUUID();
    const secret = randomBytes(32).toString('base64url');
    await this.refreshTokens.save({
      id,
      familyId,
      userId: user.id,
      secretHash: sha256(secret),
      mfa,
      tokenVersion: user.tokenVersion,
      expiresAt: new Date(Date.now() + this.config.auth.refreshTtlDays * 86_400_000),
    });
    return { accessToken, refreshToken: `${id}.${secret}`, expiresIn: this.config.auth.accessTtlSeconds, tokenType: 'Bearer' };
  }
}
