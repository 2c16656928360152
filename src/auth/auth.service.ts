import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { generateSecret, generateURI, verify } from 'otplib';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.js';
import { FieldCipher } from '../common/crypto/field-cipher.js';
import { notFound } from '../common/domain-error.js';
import { CASE_READING_ROLES, type Actor } from '../authorization/actor.js';
import { UsersRepository } from '../users/users.repository.js';
import { checkPasswordPolicy, hashPassword, verifyPassword } from '../users/password.js';
import type { User } from '../users/user.entity.js';
import { AuthErrors } from './auth.errors.js';
import { TokensService } from './tokens.service.js';
import { LoginThrottle } from './login-throttle.js';
import { currentRequest } from '../common/request-context.js';
import type { TokenPair } from './dto/auth.dto.js';
import type { MfaSetupView } from './auth.views.js';

/** Audience of the short-lived ticket between the password and the code steps of a sign-in. */
const OTP_TICKET_AUDIENCE = 'tawjih-otp-step';

@Injectable()
export class AuthService {
  constructor(
    private readonly users: UsersRepository,
    private readonly tokens: TokensService,
    private readonly throttle: LoginThrottle,
    private readonly cipher: FieldCipher,
    private readonly jwt: JwtService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Password (and, when enrolled, TOTP) check behind the login throttle (per typed address and per
   * IP, growing waits). While the address waits, every attempt is refused before any work, the same
   * for an unknown address as for a known one; the owner's correct password with a correct second
   * factor still gets in, so a stranger cannot keep an enrolled owner out.
   */
  async validateLogin(email: string, password: string, otp?: string): Promise<User> {
    const keys = this.throttle.keys(email, currentRequest()?.ip);
    const wait = await this.throttle.waiting(keys);
    if (wait.ip > 0 || (wait.account > 0 && !otp)) throw lockedFor(Math.max(wait.ip, wait.account));
    const user = await this.users.findByEmail(email);
    const good = (await verifyPassword(user?.passwordHash ?? null, password)) && user?.status === 'active' ? user : null;
    if (wait.account > 0) {
      // Only password and code together, never one without the other: no oracle while waiting.
      if (!good?.mfaEnabled || !(await this.checkOtp(good, otp!))) {
        await this.failed(keys, user);
        throw lockedFor(wait.account);
      }
    } else {
      if (!good) {
        await this.failed(keys, user);
        throw AuthErrors.invalidCredentials();
      }
      if (good.mfaEnabled) {
        if (!otp) throw AuthErrors.otpRequired();
        if (!(await this.checkOtp(good, otp))) {
          await this.failed(keys, good);
          throw AuthErrors.otpInvalid();
        }
      }
    }
    await this.succeeded(keys, good);
    return good;
  }

  /**
   * Sign-in in two steps (the web pages): the password first. Without a second factor that is the
   * user; with one, a five-minute single-purpose ticket that the code step exchanges, so the
   * password never has to travel again or be kept anywhere. Same throttle as the one-step sign-in.
   */
  async beginLogin(email: string, password: string): Promise<{ user: User } | { otpTicket: string }> {
    const keys = this.throttle.keys(email, currentRequest()?.ip);
    const wait = await this.throttle.waiting(keys);
    if (wait.ip > 0 || wait.account > 0) throw lockedFor(Math.max(wait.ip, wait.account));
    const user = await this.users.findByEmail(email);
    const good = (await verifyPassword(user?.passwordHash ?? null, password)) && user?.status === 'active' ? user : null;
    if (!good) {
      await this.failed(keys, user);
      throw AuthErrors.invalidCredentials();
    }
    if (!good.mfaEnabled) {
      await this.succeeded(keys, good);
      return { user: good };
    }
    const otpTicket = await this.jwt.signAsync({ sub: good.id, tv: good.tokenVersion }, { audience: OTP_TICKET_AUDIENCE, expiresIn: 300 });
    return { otpTicket };
  }

  /** Second step: the ticket from `beginLogin` and the code; same throttle as the one-step sign-in. */
  async finishLogin(otpTicket: string, otp: string): Promise<User> {
    let claims: { sub?: unknown; tv?: unknown };
    try {
      claims = await this.jwt.verifyAsync(otpTicket, { audience: OTP_TICKET_AUDIENCE });
    } catch {
      throw AuthErrors.otpTicketInvalid();
    }
    const user = typeof claims.sub === 'string' ? await this.users.findById(claims.sub) : null;
    if (!user || user.tokenVersion !== claims.tv || user.status !== 'active' || !user.mfaEnabled) throw AuthErrors.otpTicketInvalid();
    const keys = this.throttle.keys(user.email, currentRequest()?.ip);
    const wait = await this.throttle.waiting(keys);
    if (wait.ip > 0 || wait.account > 0) throw lockedFor(Math.max(wait.ip, wait.account));
    if (!(await this.checkOtp(user, otp))) {
      await this.failed(keys, user);
      throw AuthErrors.otpInvalid();
    }
    await this.succeeded(keys, user);
    return user;
  }

  private async failed(keys: { account: string; ip: string }, user: User | null): Promise<void> {
    await this.throttle.fail(keys);
    // The account's own count is for the admin's eyes (users page); the throttle decides.
    if (user) await this.users.recordFailure(user.id);
  }

  private async succeeded(keys: { account: string }, user: User): Promise<void> {
    await this.throttle.succeed(keys);
    await this.users.recordSuccess(user.id);
  }

  login(user: User): Promise<TokenPair> {
    return this.tokens.issue(user, user.mfaEnabled);
  }

  /** `session`: the pages' browser-session id, for the concurrent-refresh grace (TokensService.rotate). */
  refresh(refreshToken: string, session?: string): Promise<TokenPair> {
    return this.tokens.rotate(refreshToken, (id) => this.users.findById(id), session);
  }

  /** Ends the session of the refresh token and/or of the access token presented; unknown tokens end nothing. */
  async logout(refreshToken?: string, accessToken?: string): Promise<void> {
    if (refreshToken) await this.tokens.revoke(refreshToken);
    if (accessToken) await this.tokens.revokeSessionOf(accessToken);
  }

  async changePassword(actor: Actor, current: string, next: string): Promise<void> {
    const user = await this.users.findById(actor.userId);
    if (!user) throw notFound('user');
    if (!(await verifyPassword(user.passwordHash, current))) throw AuthErrors.invalidCredentials();
    checkPasswordPolicy(next, user.email);
    await this.users.save({ ...user, passwordHash: await hashPassword(next), tokenVersion: user.tokenVersion + 1 });
    // Every session ends, this one included: a thief's refresh token must not outlive the change.
    await this.tokens.revokeAll(user.id);
  }

  /** Step 1 of enrolment: a new secret (kept encrypted, not yet active) and its otpauth:// URI. */
  async startMfa(actor: Actor): Promise<MfaSetupView> {
    const user = await this.users.findById(actor.userId);
    if (!user) throw notFound('user');
    if (user.mfaEnabled) throw AuthErrors.mfaAlreadyEnabled();
    const secret = generateSecret();
    await this.users.save({ ...user, mfaSecret: this.cipher.encrypt(secret) });
    return { secret, otpauthUri: generateURI({ issuer: 'Tawjih', label: user.email, secret }) };
  }

  /** The enrolment under way (step 1 done, not confirmed yet), to show its key again after a wrong code; else null. */
  async pendingEnrolment(actor: Actor): Promise<{ secret: string; otpauthUri: string } | null> {
    const user = await this.users.findById(actor.userId);
    if (!user || user.mfaEnabled || !user.mfaSecret) return null;
    const secret = this.cipher.decrypt(user.mfaSecret);
    return { secret, otpauthUri: generateURI({ issuer: 'Tawjih', label: user.email, secret }) };
  }

  /** Step 2: the first correct code turns the factor on; the caller gets a session that passed it. */
  async enableMfa(actor: Actor, otp: string): Promise<TokenPair> {
    const user = await this.users.findById(actor.userId);
    if (!user) throw notFound('user');
    if (user.mfaEnabled) throw AuthErrors.mfaAlreadyEnabled();
    if (!user.mfaSecret) throw AuthErrors.mfaNotStarted();
    if (!(await this.checkOtp(user, otp))) throw AuthErrors.otpInvalid();
    const saved = await this.users.save({ ...user, mfaEnabled: true, tokenVersion: user.tokenVersion + 1 });
    // Sessions opened without the factor end; the caller gets a new one that passed it.
    await this.tokens.revokeAll(user.id);
    return this.tokens.issue(saved, true);
  }

  /** Whether this actor must have passed a second factor to use non-enrolment routes. */
  mfaRequiredFor(actor: Actor): boolean {
    return this.config.auth.mfaRequired && actor.roles.some((r) => CASE_READING_ROLES.includes(r));
  }

  private async checkOtp(user: User, otp: string): Promise<boolean> {
    if (!user.mfaSecret) return false;
    const result = await verify({ secret: this.cipher.decrypt(user.mfaSecret), token: otp, epochTolerance: 30 });
    return result.valid;
  }
}

const lockedFor = (ms: number) => AuthErrors.locked(new Date(Date.now() + ms));
