import { Injectable } from '@nestjs/common';
import type { Page } from '../common/pagination.js';
import { keysetPage } from '../common/keyset.js';
import { TransactionHost } from '../database/transaction.js';
import type { SqlScope } from '../authorization/scope.js';
import type { Actor } from '../authorization/actor.js';
import { User } from './user.entity.js';
import { UserToken } from './user-token.entity.js';
import type { UserQuery } from './dto/user.dto.js';

/** Condition fields of the User subject → columns (alias `u`). */
export const USER_SCOPE_COLUMNS = { id: 'u.id', organisationId: 'u.organisation_id' };

@Injectable()
export class UsersRepository {
  constructor(private readonly tx: TransactionHost) {}

  private get users() {
    return this.tx.manager.getRepository(User);
  }

  private get tokens() {
    return this.tx.manager.getRepository(UserToken);
  }

  list(scope: SqlScope, q: UserQuery): Promise<Page<User>> {
    const qb = this.users.createQueryBuilder('u').where(scope.sql, scope.params);
    if (q.organisationId) qb.andWhere('u.organisation_id = :org', { org: q.organisationId });
    if (q.role) qb.andWhere(':role = ANY(u.roles)', { role: q.role });
    if (q.status) qb.andWhere('u.status = :status', { status: q.status });
    if (q.search) qb.andWhere('(u.email ILIKE :q OR u.display_name ILIKE :q)', { q: `%${q.search}%` });
    return keysetPage(qb, 'u', q);
  }

  findInScope(scope: SqlScope, id: string): Promise<User | null> {
    return this.users.createQueryBuilder('u').where('u.id = :id', { id }).andWhere(scope.sql, scope.params).getOne();
  }

  findById(id: string): Promise<User | null> {
    return this.users.findOneBy({ id });
  }

  /** The display names of several accounts in one prepared statement (a caseload's counsellors). */
  async displayNames(ids: string[]): Promise<Map<string, string>> {
    if (!ids.length) return new Map();
    const rows = await this.tx.prepared<{ id: string; display_name: string }>('users.display_names', `SELECT id, display_name FROM app_user WHERE id = ANY($1::uuid[])`, [ids]);
    return new Map(rows.map((r) => [r.id, r.display_name]));
  }

  findByEmail(email: string): Promise<User | null> {
    return this.users.findOneBy({ email: email.trim().toLowerCase() });
  }

  save(user: Partial<User>): Promise<User> {
    return this.users.save(this.users.create(user));
  }

  /** Counts a failed sign-in (shown to admins; the login throttle in the auth module decides the waits). */
  async recordFailure(id: string): Promise<void> {
    await this.users.increment({ id }, 'failedLogins', 1);
  }

  async recordSuccess(id: string): Promise<void> {
    await this.users.update({ id }, { failedLogins: 0, lockedUntil: null, lastLoginAt: new Date() });
  }

  /**
   * The signed-in caller, with what every policy needs, in one query. Only active users of active
   * organisations whose token version matches, in a session not signed out; anything else means the
   * token no longer counts.
   */
  async actorFor(userId: string, tokenVersion: number, sessionId: string | null = null): Promise<Actor | null> {
    // The session's revocation (sign-out, reuse) is read in the same query, through refresh_token_family_idx.
    const rows = await this.tx.prepared(
      'users.actor_for',
      `SELECT u.id, u.organisation_id, u.roles, u.language, o.type, o.region_id, o.province_id
         FROM app_user u JOIN organisation o ON o.id = u.organisation_id
        WHERE u.id = $1 AND u.token_version = $2 AND u.status = 'active' AND o.status = 'active'
          AND ($3::uuid IS NULL OR NOT EXISTS (SELECT 1 FROM refresh_token rt WHERE rt.family_id = $3::uuid AND rt.revoked_at IS NOT NULL))`,
      [userId, tokenVersion, sessionId],
    );
    const r = rows[0];
    if (!r) return null;
    return {
      userId: r.id as string,
      organisationId: r.organisation_id as string,
      organisationType: r.type as Actor['organisationType'],
      regionId: (r.region_id as string) ?? null,
      provinceId: (r.province_id as string) ?? null,
      roles: parsePgArray(r.roles) as Actor['roles'],
      language: r.language as Actor['language'],
    };
  }

  saveToken(token: Partial<UserToken>): Promise<UserToken> {
    return this.tokens.save(this.tokens.create(token));
  }

  findToken(id: string): Promise<UserToken | null> {
    return this.tokens.findOneBy({ id });
  }

  /** Spends a one-time token; false when it was already spent (two tabs, a replay). */
  async spendToken(id: string): Promise<boolean> {
    const r = await this.tokens
      .createQueryBuilder()
      .update()
      .set({ usedAt: () => 'now()' })
      .where('id = :id AND used_at IS NULL AND expires_at > now()', { id })
      .execute();
    return r.affected === 1;
  }

  async voidTokens(userId: string): Promise<void> {
    await this.tokens.createQueryBuilder().update().set({ usedAt: () => 'now()' }).where('user_id = :userId AND used_at IS NULL', { userId }).execute();
  }
}

/** pg returns arrays of enum types as '{a,b}' text. */
function parsePgArray(v: unknown): string[] {
  if (Array.isArray(v)) return v as string[];
  if (typeof v === 'string') return v.replace(/^\{|\}$/g, '').split(',').filter(Boolean);
  return [];
}
