import { Injectable } from '@nestjs/common';
import { TransactionHost } from '../database/transaction.js';
import { RefreshToken } from './refresh-token.entity.js';

@Injectable()
export class RefreshTokensRepository {
  constructor(private readonly tx: TransactionHost) {}

  private get repo() {
    return this.tx.manager.getRepository(RefreshToken);
  }

  findById(id: string): Promise<RefreshToken | null> {
    return this.repo.findOneBy({ id });
  }

  save(t: Partial<RefreshToken>): Promise<RefreshToken> {
    return this.repo.save(this.repo.create(t));
  }

  /** Marks the token used (by that browser session, if any); false if someone (or something) used it first. */
  async spend(id: string, sessionHash: string | null): Promise<boolean> {
    const r = await this.repo
      .createQueryBuilder()
      .update()
      .set({ usedAt: () => 'now()', spentBySession: sessionHash })
      .where('id = :id AND used_at IS NULL AND revoked_at IS NULL', { id })
      .execute();
    return r.affected === 1;
  }

  /** Whether the token was spent less than `seconds` ago by this browser session, its family still live (database clock). */
  spentRecentlyBy(id: string, sessionHash: string, seconds: number): Promise<boolean> {
    return this.repo
      .createQueryBuilder('r')
      .where('r.id = :id AND r.spent_by_session = :sessionHash AND r.revoked_at IS NULL', { id, sessionHash })
      .andWhere(`r.used_at > now() - make_interval(secs => :seconds)`, { seconds })
      .getExists();
  }

  revokeFamily(familyId: string): Promise<void> {
    return this.revokeWhere('family_id = :familyId', { familyId });
  }

  /** Ends every session of an account (password change, reset, disable, role change, MFA reset). */
  revokeAllOfUser(userId: string): Promise<void> {
    return this.revokeWhere('user_id = :userId', { userId });
  }

  private async revokeWhere(condition: string, params: Record<string, string>): Promise<void> {
    await this.repo
      .createQueryBuilder()
      .update()
      .set({ revokedAt: () => 'now()' })
      .where(`${condition} AND revoked_at IS NULL`, params)
      .execute();
  }
}
