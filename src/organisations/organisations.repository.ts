import { Injectable } from '@nestjs/common';
import type { Page } from '../common/pagination.js';
import { keysetPage } from '../common/keyset.js';
import { TransactionHost } from '../database/transaction.js';
import type { SqlScope } from '../authorization/scope.js';
import { Organisation } from './organisation.entity.js';
import type { OrganisationQuery } from './dto/organisation.dto.js';

/** Condition fields of the Organisation subject → columns (alias `o`). */
export const ORGANISATION_SCOPE_COLUMNS = { id: 'o.id', organisationId: 'o.id', regionId: 'o.region_id', type: 'o.type' };

@Injectable()
export class OrganisationsRepository {
  constructor(private readonly tx: TransactionHost) {}

  private get repo() {
    return this.tx.manager.getRepository(Organisation);
  }

  list(scope: SqlScope, q: OrganisationQuery): Promise<Page<Organisation>> {
    const qb = this.repo.createQueryBuilder('o').where(scope.sql, scope.params);
    if (q.type) qb.andWhere('o.type = :type', { type: q.type });
    if (q.regionId) qb.andWhere('o.region_id = :regionId', { regionId: q.regionId });
    if (q.search) qb.andWhere('o.name ILIKE :q', { q: `%${q.search}%` });
    return keysetPage(qb, 'o', q);
  }

  findInScope(scope: SqlScope, id: string): Promise<Organisation | null> {
    return this.repo.createQueryBuilder('o').where('o.id = :id', { id }).andWhere(scope.sql, scope.params).getOne();
  }

  findById(id: string): Promise<Organisation | null> {
    return this.repo.findOneBy({ id });
  }

  codeTaken(code: string, exceptId?: string): Promise<boolean> {
    const qb = this.repo.createQueryBuilder('o').where('o.code = :code', { code });
    if (exceptId) qb.andWhere('o.id <> :exceptId', { exceptId });
    return qb.getExists();
  }

  save(org: Partial<Organisation>): Promise<Organisation> {
    return this.repo.save(this.repo.create(org));
  }
}
