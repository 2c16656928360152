import { Injectable } from '@nestjs/common';
import type { Page } from '../common/pagination.js';
import { keysetPage } from '../common/keyset.js';
import { TransactionHost, type CommitWriter } from '../database/transaction.js';
import type { SqlScope } from '../authorization/scope.js';
import { AuditEvent } from './audit-event.entity.js';
import type { AuditFilter, AuditQuery } from './dto/audit.dto.js';

/** Condition fields of the AuditEvent subject → columns (alias `a`). */
export const AUDIT_SCOPE_COLUMNS = { organisationId: 'a.organisation_id' };

/** One exported row: ids, codes and times only (the trail never holds a name). */
export interface AuditRow {
  at: Date;
  actor_id: string | null;
  organisation_id: string | null;
  action: string;
  entity: string;
  entity_id: string | null;
  route: string | null;
  ip: string | null;
  correlation_id: string | null;
}
export const AUDIT_EXPORT_COLUMNS: ReadonlyArray<keyof AuditRow> = ['at', 'actor_id', 'organisation_id', 'action', 'entity', 'entity_id', 'route', 'ip', 'correlation_id'];

/** Rows per INSERT statement (8 parameters each, well under PostgreSQL's 65,535). */
const APPEND_CHUNK = 1000;

export type AuditRowInput = Omit<AuditEvent, 'id' | 'createdAt'>;

/** The INSERT of audit rows, their values pushed to `params` (numbered from there). */
function insertAudit(rows: AuditRowInput[], params: unknown[]): string {
  const tuples = rows.map((r) => `(${[r.actorId, r.organisationId, r.action, r.entity, r.entityId, r.route, r.ip, r.correlationId].map((v) => `$${params.push(v)}`).join(', ')})`);
  return `INSERT INTO audit_event (actor_id, organisation_id, action, entity, entity_id, route, ip, correlation_id) VALUES ${tuples.join(', ')}`;
}

@Injectable()
export class AuditRepository {
  constructor(private readonly tx: TransactionHost) {}

  private get repo() {
    return this.tx.manager.getRepository(AuditEvent);
  }

  /**
   * Inserts only (the table refuses anything else). Joins the caller's transaction. Plain SQL: it
   * runs on every read of a case, and the ORM's insert (which reads back id and time) costs more.
   */
  async append(rows: AuditRowInput[]): Promise<void> {
    for (let i = 0; i < rows.length; i += APPEND_CHUNK) {
      const chunk = rows.slice(i, i + APPEND_CHUNK);
      const values: unknown[] = [];
      // Prepared for the few rows of a request (one name per row count), unnamed beyond.
      await this.tx.prepared(chunk.length <= 8 ? `audit.append.${chunk.length}` : undefined, insertAudit(chunk, values), values);
    }
  }

  /** The audit rows of a transaction, written just before it commits (with its other writes: TransactionHost.appendAtCommit). */
  readonly atCommit: CommitWriter<AuditRowInput> = { flush: (rows) => this.append(rows), insert: { name: 'audit', sql: insertAudit } };

  private filtered(scope: SqlScope, q: AuditFilter) {
    const qb = this.repo.createQueryBuilder('a').where(scope.sql, scope.params);
    if (q.organisationId) qb.andWhere('a.organisation_id = :org', { org: q.organisationId });
    if (q.actorId) qb.andWhere('a.actor_id = :actor', { actor: q.actorId });
    if (q.entity) qb.andWhere('a.entity = :entity', { entity: q.entity });
    if (q.entityId) qb.andWhere('a.entity_id = :entityId', { entityId: q.entityId });
    if (q.action) qb.andWhere('a.action = :action', { action: q.action });
    if (q.from) qb.andWhere('a.created_at >= :from', { from: q.from });
    if (q.to) qb.andWhere('a.created_at < :to', { to: q.to });
    return qb;
  }

  list(scope: SqlScope, q: AuditQuery): Promise<Page<AuditEvent>> {
    return keysetPage(this.filtered(scope, q), 'a', q);
  }

  /**
   * The trail in scope, oldest first, in batches from a server-side cursor on a connection of its
   * own: memory stays flat however long the trail, and the connection goes back to the pool when
   * the consumer stops early (a client that hangs up ends the generator).
   */
  async *batchesInScope(scope: SqlScope, q: AuditFilter, batchSize = 2000): AsyncGenerator<AuditRow[]> {
    const qb = this.filtered(scope, q).select('a.created_at', 'at').orderBy('a.created_at').addOrderBy('a.id');
    for (const c of AUDIT_EXPORT_COLUMNS.slice(1)) qb.addSelect(`a.${c}`, c);
    const [sql, params] = qb.getQueryAndParameters();
    const runner = this.tx.dataSource.createQueryRunner();
    await runner.connect();
    try {
      // One snapshot for the whole file; read-only, so nothing can be written through it.
      await runner.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      await runner.query(`DECLARE audit_export NO SCROLL CURSOR FOR ${sql}`, params);
      for (;;) {
        const rows: AuditRow[] = await runner.query(`FETCH ${batchSize} FROM audit_export`);
        if (!rows.length) break;
        yield rows;
      }
    } finally {
      await runner.query('ROLLBACK').catch(() => undefined);
      await runner.release();
    }
  }
}
