import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { ForbiddenError, subject } from '@casl/ability';
import { notFound } from '../common/domain-error.js';
import type { AppAbility } from '../authorization/ability.factory.js';
import { ROLE_ORGANISATION_TYPES, type Actor, type Language, type Role } from '../authorization/actor.js';
import { scopeFor } from '../authorization/scope.js';
import { TransactionHost } from '../database/transaction.js';
import { OrganisationsService } from '../organisations/organisations.service.js';
import { USER_SCOPE_COLUMNS, UsersRepository } from './users.repository.js';
import { UserErrors } from './users.errors.js';
import { UserInvitedEvent } from '../common/mail-events.js';
import { UserSessionsEndedEvent } from './users.events.js';
import { checkPasswordPolicy, hashPassword } from './password.js';
import type { User } from './user.entity.js';
import type { CreateUserDto, UpdateMeDto, UpdateUserDto, UserQuery } from './dto/user.dto.js';
import type { MeView, PasswordLinkView, UserPageView, UserView } from './users.views.js';

const INVITE_TTL_HOURS = 72;
export const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

export function toUserView(u: User): UserView {
  return {
    id: u.id,
    email: u.email,
    displayName: u.displayName,
    organisationId: u.organisationId,
    roles: u.roles,
    language: u.language,
    status: u.status,
    mfaEnabled: u.mfaEnabled,
    lastLoginAt: u.lastLoginAt,
    isDemo: u.isDemo,
    createdAt: u.createdAt,
  };
}

@Injectable()
export class UsersService {
  constructor(
    private readonly users: UsersRepository,
    private readonly organisations: OrganisationsService,
    private readonly tx: TransactionHost,
    private readonly events: EventEmitter2,
  ) {}

  /** An account by id, unscoped, or null: for other modules' own rules (a counsellor's name on a case). */
  find(id: string): Promise<User | null> {
    return this.users.findById(id);
  }

  /** Display names by account id, unscoped (a caseload's counsellors); an unknown id is absent. */
  displayNames(ids: string[]): Promise<Map<string, string>> {
    return this.users.displayNames(ids);
  }

  async list(ability: AppAbility, q: UserQuery): Promise<UserPageView> {
    const page = await this.users.list(scopeFor(ability, 'read', 'User', USER_SCOPE_COLUMNS), q);
    return { items: page.items.map(toUserView), nextCursor: page.nextCursor };
  }

  async get(ability: AppAbility, id: string): Promise<UserView> {
    return toUserView(await this.load(ability, 'read', id));
  }

  async me(actor: Actor): Promise<MeView> {
    const user = await this.users.findById(actor.userId);
    const organisation = await this.organisations.find(actor.organisationId);
    if (!user || !organisation) throw notFound('user');
    return {
      ...toUserView(user),
      organisation: { id: organisation.id, name: organisation.name, nameAr: organisation.nameAr ?? null, type: organisation.type, code: organisation.code, regionId: organisation.regionId, provinceId: organisation.provinceId },
    };
  }

  async updateMe(actor: Actor, dto: UpdateMeDto): Promise<MeView> {
    const user = await this.users.findById(actor.userId);
    if (!user) throw notFound('user');
    await this.users.save({ ...user, ...dto });
    return this.me(actor);
  }

  /** The account's language (the web sign-in keeps the one a visitor chose). */
  async setLanguage(userId: string, language: Language): Promise<void> {
    const user = await this.users.findById(userId);
    if (user) await this.users.save({ ...user, language });
  }

  async create(ability: AppAbility, dto: CreateUserDto): Promise<UserView> {
    ForbiddenError.from(ability).throwUnlessCan('create', subject('User', { organisationId: dto.organisationId }) as never);
    await this.checkRoles(dto.organisationId, dto.roles);
    const user = await this.tx.run(async () => {
      if (await this.users.findByEmail(dto.email)) throw UserErrors.emailTaken();
      const created = await this.users.save({ ...dto, language: dto.language ?? 'fr', status: 'invited', passwordHash: null });
      await this.issueToken(created, 'invite');
      return created;
    });
    return toUserView(user);
  }

  async update(ability: AppAbility, id: string, dto: UpdateUserDto): Promise<UserView> {
    const user = await this.load(ability, 'update', id);
    if (dto.roles) await this.checkRoles(user.organisationId, dto.roles);
    const rolesChanged = dto.roles && [...dto.roles].sort().join() !== [...user.roles].sort().join();
    if (!rolesChanged) return toUserView(await this.users.save({ ...user, ...dto }));
    return toUserView(await this.endSessions({ ...user, ...dto }));
  }

  async disable(ability: AppAbility, actor: Actor, id: string): Promise<UserView> {
    if (id === actor.userId) throw UserErrors.cannotDisableSelf();
    const user = await this.load(ability, 'update', id);
    return toUserView(await this.endSessions({ ...user, status: 'disabled' }));
  }

  async enable(ability: AppAbility, id: string): Promise<UserView> {
    const user = await this.load(ability, 'update', id);
    const status = user.passwordHash ? 'active' : 'invited';
    return toUserView(await this.users.save({ ...user, status, failedLogins: 0, lockedUntil: null }));
  }

  /** Clears the second factor (lost phone); the user enrols again at next sign-in. */
  async resetMfa(ability: AppAbility, id: string): Promise<UserView> {
    const user = await this.load(ability, 'update', id);
    return toUserView(await this.endSessions({ ...user, mfaSecret: null, mfaEnabled: false }));
  }

  /**
   * Saves the account with its token version bumped and ends every session (access tokens fail the
   * version at once; refresh families are revoked by the auth module in this transaction).
   */
  private endSessions(user: User): Promise<User> {
    return this.tx.run(async () => {
      const saved = await this.users.save({ ...user, tokenVersion: user.tokenVersion + 1 });
      await this.events.emitAsync(UserSessionsEndedEvent.topic, new UserSessionsEndedEvent(user.id));
      return saved;
    });
  }

  /** Sends a fresh set-password link (a new invitation, or a reset for an active account). */
  async sendPasswordLink(ability: AppAbility, id: string): Promise<PasswordLinkView> {
    const user = await this.load(ability, 'update', id);
    const expiresAt = await this.tx.run(async () => {
      await this.users.voidTokens(user.id);
      // An admin's reset of an active account ends its sessions now, not when the new password is set.
      const current = user.status === 'invited' ? user : await this.endSessions(user);
      return this.issueToken(current, user.status === 'invited' ? 'invite' : 'reset');
    });
    return { sent: true, expiresAt };
  }

  /** Public: completes an invitation or reset with the one-time token from the e-mail. */
  async setPassword(token: string, password: string): Promise<void> {
    // The shape of the new password first (it needs no token): a weak one is named as such even with a stale link.
    checkPasswordPolicy(password, '');
    const [id, secret] = token.split('.');
    if (!id || !secret || !/^[0-9a-f-]{36}$/.test(id)) throw UserErrors.tokenInvalid();
    const stored = await this.users.findToken(id);
    if (!stored || stored.secretHash !== sha256(secret) || stored.usedAt || stored.expiresAt < new Date()) throw UserErrors.tokenInvalid();
    const user = await this.users.findById(stored.userId);
    if (!user || user.status === 'disabled') throw UserErrors.tokenInvalid();
    checkPasswordPolicy(password, user.email);
    const passwordHash = await hashPassword(password);
    await this.tx.run(async () => {
      if (!(await this.users.spendToken(id))) throw UserErrors.tokenInvalid();
      await this.endSessions({ ...user, passwordHash, status: 'active', failedLogins: 0, lockedUntil: null });
    });
  }

  private async issueToken(user: User, purpose: 'invite' | 'reset'): Promise<Date> {
    const id = randomUUID();
    const secret = randomBytes(32).toString('base64url');
    const expiresAt = new Date(Date.now() + INVITE_TTL_HOURS * 3600_000);
    await this.users.saveToken({ id, userId: user.id, purpose, secretHash: sha256(secret), expiresAt });
    // Listeners write the e-mail to the outbox inside this same transaction.
    await this.events.emitAsync(UserInvitedEvent.topic, new UserInvitedEvent(user.id, user.email, user.language, `${id}.${secret}`, expiresAt, purpose));
    return expiresAt;
  }

  private async load(ability: AppAbility, action: 'read' | 'update', id: string): Promise<User> {
    const user = await this.users.findInScope(scopeFor(ability, 'read', 'User', USER_SCOPE_COLUMNS), id);
    if (!user) throw notFound('user');
    ForbiddenError.from(ability).throwUnlessCan(action, subject('User', { ...user }) as never);
    return user;
  }

  private async checkRoles(organisationId: string, roles: Role[]): Promise<void> {
    const org = await this.organisations.find(organisationId);
    if (!org) throw UserErrors.unknownOrganisation();
    for (const role of roles) {
      if (!ROLE_ORGANISATION_TYPES[role].includes(org.type)) throw UserErrors.roleNotAllowed(role, org.type);
    }
  }
}
