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
import type { TokenPair } from './dto/auth.dto.js';

/** Audience of the short-lived ticket between the password and the code steps of a sign-in. */
const OTP_TICKET_AUDIENCE = 'tawjih-otp-step';

@Injectable()
export class AuthService {
  constructor(
    private readonly users: UsersRepository,
    private readonly tokens: TokensService,
    private readonly cipher: FieldCipher,
    private readonly jwt: JwtService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Password (and, when enrolled, TOTP) check with per-account lockout. A locked account is refused
   * before the password is even looked at, so guessing cannot continue during the lock.
   */
  async validateLogin(email: string, password: string, otp?: string): Promise<User> {
    const user = await this.checkPassword(email, password);
    if (user.mfaEnabled) {
      if (!otp) throw AuthErrors.otpRequired();
      await this.checkSecondFactor(user, otp);
    }
    await this.users.recordSuccess(user.id);
    return user;
  }

  /**
   * Sign-in in two steps (the web pages): the password first. Without a second factor that is the
   * user; with one, a five-minute single-purpose ticket that the code step exchanges, so the
   * password never has to travel again or be kept anywhere.
   */
  async beginLogin(email: string, password: string): Promise<{ user: User } | { otpTicket: string }> {
    const user = await this.checkPassword(email, password);
    if (!user.mfaEnabled) {
      await this.users.recordSuccess(user.id);
      return { user };
    }
    const otpTicket = await this.jwt.signAsync({ sub: user.id, tv: user.tokenVersion }, { audience: OTP_TICKET_AUDIENCE, expiresIn: 300 });
    return { otpTicket };
  }

  /** Second step: the ticket from `beginLogin` and the code; same lockout as the one-step sign-in. */
  async finishLogin(otpTicket: string, otp: string): Promise<User> {
    let claims: { sub?: unknown; tv?: unknown };
    try {
      claims = await this.jwt.verifyAsync(otpTicket, { audience: OTP_TICKET_AUDIENCE });
    } catch {
      throw AuthErrors.otpTicketInvalid();
    }
    const user = typeof claims.sub === 'string' ? await this.users.findById(claims.sub) : null;
    if (!user || user.tokenVersion !== claims.tv || user.status !== 'active' || !user.mfaEnabled) throw AuthErrors.otpTicketInvalid();
    if (user.lockedUntil && user.lockedUntil > new Date()) throw AuthErrors.locked(user.lockedUntil);
    await this.checkSecondFactor(user, otp);
    await this.users.recordSuccess(user.id);
    return user;
  }

  private async checkPassword(email: string, password: string): Promise<User> {
    const user = await this.users.findByEmail(email);
    if (user?.lockedUntil && user.lockedUntil > new Date()) throw AuthErrors.locked(user.lockedUntil);
    const ok = await verifyPassword(user?.passwordHash ?? null, password);
    if (!user || !ok || user.status !== 'active') {
      if (user) await this.fail(user);
      throw AuthErrors.invalidCredentials();
    }
    return user;
  }

  private async checkSecondFactor(user: User, otp: string): Promise<void> {
    if (!(await this.checkOtp(user, otp))) {
      await this.fail(user);
      throw AuthErrors.otpInvalid();
    }
  }

  login(user: User): Promise<TokenPair> {
    return this.tokens.issue(user, user.mfaEnabled);
  }

  /** `session`: the pages' browser-session id, for the concurrent-refresh grace (TokensService.rotate). */
  refresh(refreshToken: string, session?: string): Promise<TokenPair> {
    return this.tokens.rotate(refreshToken, (id) => this.users.findById(id), session);
  }

  logout(refreshToken: string): Promise<void> {
    return this.tokens.revoke(refreshToken);
  }

  async changePassword(actor: Actor, current: string, next: string): Promise<void> {
    const user = await this.users.findById(actor.userId);
    if (!user) throw notFound('user');
    if (!(await verifyPassword(user.passwordHash, current))) throw AuthErrors.invalidCredentials();
    checkPasswordPolicy(next, user.email);
    await this.users.save({ ...user, passwordHash: await hashPassword(next), tokenVersion: user.tokenVersion + 1 });
  }

  /** Step 1 of enrolment: a new secret (kept encrypted, not yet active) and its otpauth:// URI. */
  async startMfa(actor: Actor): Promise<{ secret: string; otpauthUri: string }> {
    const user = await this.users.findById(actor.userId);
    if (!user) throw notFound('user');
    if (user.mfaEnabled) throw AuthErrors.mfaAlreadyEnabled();
    const secret = generateSecret();
    await this.users.save({ ...user, mfaSecret: this.cipher.encrypt(secret) });
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

  private async fail(user: User): Promise<void> {
    const r = await this.users.recordFailure(user.id, this.config.auth.maxFailures, this.config.auth.lockMinutes);
    if (r.lockedUntil && r.lockedUntil > new Date()) throw AuthErrors.locked(r.lockedUntil);
  }
}
