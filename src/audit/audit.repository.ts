import { Injectable } from '@nestjs/common';
import type { Page } from '../common/pagination.js';
import { keysetPage } from '../database/keyset.js';
import { TransactionHost } from '../database/transaction.js';
import type { SqlScope } from '../authorization/scope.js';
import { AuditEvent } from './audit-event.entity.js';
import type { AuditQuery } from './dto/audit.dto.js';

/** Condition fields of the AuditEvent subject → columns (alias `a`). */
export const AUDIT_SCOPE_COLUMNS = { organisationId: 'a.organisation_id' };

@Injectable()
export class AuditRepository {
  constructor(private readonly tx: TransactionHost) {}

  private get repo() {
    return this.tx.manager.getRepository(AuditEvent);
  }

  /** Inserts only (the table refuses anything else). Joins the caller's transaction. */
  async append(rows: Array<Omit<AuditEvent, 'id' | 'createdAt'>>): Promise<void> {
    if (rows.length) await this.repo.insert(rows);
  }

  list(scope: SqlScope, q: AuditQuery): Promise<Page<AuditEvent>> {
    const qb = this.repo.createQueryBuilder('a').where(scope.sql, scope.params);
    if (q.organisationId) qb.andWhere('a.organisation_id = :org', { org: q.organisationId });
    if (q.actorId) qb.andWhere('a.actor_id = :actor', { actor: q.actorId });
    if (q.entity) qb.andWhere('a.entity = :entity', { entity: q.entity });
    if (q.entityId) qb.andWhere('a.entity_id = :entityId', { entityId: q.entityId });
    if (q.action) qb.andWhere('a.action = :action', { action: q.action });
    if (q.from) qb.andWhere('a.created_at >= :from', { from: q.from });
    if (q.to) qb.andWhere('a.created_at < :to', { to: q.to });
    return keysetPage(qb, 'a', q);
  }
}
