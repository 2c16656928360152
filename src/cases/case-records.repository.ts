import { Injectable } from '@nestjs/common';
import type { EntityTarget, ObjectLiteral } from 'typeorm';
import { plainEntity } from '../database/plain-entity.js';
import { TransactionHost } from '../database/transaction.js';
import type { SqlScope } from '../authorization/scope.js';
import { Consent } from './consent.entity.js';
import { Delivery } from './delivery.entity.js';
import { FollowUpTask } from './follow-up-task.entity.js';
import { Incident } from './incident.entity.js';

/** Anything that hangs off a case (needs, consents, sessions, tasks, deliveries, incidents). */
type CaseChild = ObjectLiteral & { id: string; caseId: string; createdAt: Date };

/**
 * Reads and writes of the records of one case. The case itself has been loaded within the caller's
 * scope before any of these run, so they filter on the case id only (incidents add their own scope).
 */
@Injectable()
export class CaseRecordsRepository {
  constructor(private readonly tx: TransactionHost) {}

  /** A prepared statement per record type: a case's page reads its needs on every request (issue #18). */
  async listForCase<T extends CaseChild>(entity: EntityTarget<T>, caseId: string, limit = 500): Promise<T[]> {
    const r = plainEntity(this.tx.dataSource, entity, 'r');
    const table = this.tx.dataSource.getMetadata(entity).tableName;
    const rows = await this.tx.prepared(
      `case_records.list.${table}`,
      `SELECT ${r.select} FROM ${table} r WHERE r.case_id = $1 ORDER BY r.created_at DESC, r.id DESC LIMIT $2`,
      [caseId, limit],
    );
    return rows.map((row) => r.hydrate(row));
  }

  /**
   * A case's consents not withdrawn, each held FOR SHARE until the caller's transaction ends: a
   * referral sent on one of them commits before a withdrawal of it can, and that withdrawal then
   * sees the referral (and stops its sharing); a withdrawal already written is waited for and seen.
   */
  async activeConsentsLocked(caseId: string): Promise<Consent[]> {
    const r = plainEntity(this.tx.dataSource, Consent, 'r');
    const rows = await this.tx.prepared(
      'case_records.consents_locked',
      `SELECT ${r.select} FROM consent r WHERE r.case_id = $1 AND r.withdrawn_at IS NULL ORDER BY r.created_at DESC, r.id DESC FOR SHARE`,
      [caseId],
    );
    return rows.map((row) => r.hydrate(row));
  }

  findForCase<T extends CaseChild>(entity: EntityTarget<T>, caseId: string, id: string): Promise<T | null> {
    return this.tx.manager.getRepository(entity).createQueryBuilder('r').where('r.id = :id AND r.case_id = :caseId', { id, caseId }).getOne();
  }

  insert<T extends CaseChild>(entity: EntityTarget<T>, row: Partial<T>): Promise<T> {
    const repo = this.tx.manager.getRepository(entity);
    return repo.save(repo.create(row as T));
  }

  save<T extends CaseChild>(entity: EntityTarget<T>, row: T): Promise<T> {
    return this.tx.manager.getRepository(entity).save(row);
  }

  /** Incidents of a case, within the Incident scope of the caller (alias `c` = the case). */
  incidents(scope: SqlScope, caseId: string): Promise<Incident[]> {
    return this.tx.manager
      .getRepository(Incident)
      .createQueryBuilder('i')
      .innerJoin('case_file', 'c', 'c.id = i.case_id')
      .where('i.case_id = :caseId', { caseId })
      .andWhere(scope.sql, scope.params)
      .orderBy('i.created_at', 'DESC')
      .addOrderBy('i.id', 'DESC')
      .getMany();
  }

  /**
   * Open tasks assigned to one user and due on or before `until`, earliest first (bounded), on
   * cases within the caller's Case scope (alias `c`) that are neither closed nor anonymised.
   */
  tasksDue(scope: SqlScope, assigneeId: string, until: string, limit: number): Promise<FollowUpTask[]> {
    return this.tx.manager
      .getRepository(FollowUpTask)
      .createQueryBuilder('t')
      .innerJoinAndSelect('t.case', 'c')
      .where(`t.assigned_to_id = :assigneeId AND t.status = 'open' AND t.due_date <= :until`, { assigneeId, until })
      .andWhere(`c.status <> 'closed' AND c.anonymised_at IS NULL`)
      .andWhere(scope.sql, scope.params)
      .orderBy('t.due_date', 'ASC')
      .addOrderBy('t.id', 'ASC')
      .limit(limit)
      .getMany();
  }

  /** Whether an open need of this category exists (one open need per category). */
  hasOpenNeed(caseId: string, category: string): Promise<boolean> {
    return this.tx.manager
      .createQueryBuilder()
      .from('case_need', 'n')
      .where(`n.case_id = :caseId AND n.category = :category AND n.status = 'open'`, { caseId, category })
      .getExists();
  }

  deliveryForReferral(referralId: string): Promise<Delivery | null> {
    return this.tx.manager.getRepository(Delivery).findOneBy({ referralId });
  }
}
