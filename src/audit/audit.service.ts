import type { AuditPageView } from './audit.views.js';
import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Injectable } from '@nestjs/common';
import { safeCsvStringify } from '../common/spreadsheet-cells.js';
import type { AppAbility } from '../authorization/ability.factory.js';
import type { Actor } from '../authorization/actor.js';
import { scopeFor } from '../authorization/scope.js';
import { currentRequest } from '../common/request-context.js';
import { TransactionHost } from '../database/transaction.js';
import type { AuditAction, AuditEntity } from './audit-event.entity.js';
import { AUDIT_EXPORT_COLUMNS, AUDIT_SCOPE_COLUMNS, AuditRepository } from './audit.repository.js';
import type { AuditFilter, AuditQuery } from './dto/audit.dto.js';

export interface AuditEntry {
  action: AuditAction;
  entity: AuditEntity;
  entityId?: string | null;
  /** The unit holding the record. */
  organisationId: string | null;
}

/** One `read` row per record shown, for the lists of a case's sensitive records. */
export function readsOf(entity: AuditEntity, rows: ReadonlyArray<{ id: string }>, organisationId: string): AuditEntry[] {
  return rows.map((r) => ({ action: 'read', entity, entityId: r.id, organisationId }));
}

/**
 * The audit trail. `record` writes through the caller's transaction (TransactionHost), so a change
 * and its audit row commit together, and a read is only answered once its row is written. Route,
 * IP and correlation id come from the request context; outside a request, `route` names the job.
 */
@Injectable()
export class AuditService {
  constructor(
    private readonly audit: AuditRepository,
    private readonly tx: TransactionHost,
  ) {}

  /**
   * Inside a transaction the rows are written with the transaction's other audit rows (and its
   * e-mails), in one statement just before it commits (so before any answer leaves); outside one, at once.
   */
  record(actor: Actor | null, entries: AuditEntry | AuditEntry[], job?: string): Promise<void> {
    const req = currentRequest();
    const list = Array.isArray(entries) ? entries : [entries];
    return this.tx.appendAtCommit(this.audit.atCommit,
      list.map((e) => ({
        actorId: actor?.userId ?? null,
        organisationId: e.organisationId,
        action: e.action,
        entity: e.entity,
        entityId: e.entityId ?? null,
        route: req?.route ?? (job ? `job:${job}` : null),
        ip: req?.ip ?? null,
        correlationId: req?.correlationId ?? null,
      })),
    );
  }

  list(ability: AppAbility, q: AuditQuery): Promise<AuditPageView> {
    return this.audit.list(scopeFor(ability, 'read', 'AuditEvent', AUDIT_SCOPE_COLUMNS), q);
  }

  /** The trail in scope as CSV into `out`, streamed from a cursor. The export is itself audited first. */
  async exportCsv(actor: Actor, ability: AppAbility, q: AuditFilter, out: Writable): Promise<void> {
    const scope = scopeFor(ability, 'read', 'AuditEvent', AUDIT_SCOPE_COLUMNS);
    await this.record(actor, { action: 'export', entity: 'audit', organisationId: actor.organisationId });
    const batches = this.audit.batchesInScope(scope, q);
    async function* rows() {
      for await (const batch of batches) yield* batch;
    }
    await pipeline(Readable.from(rows()), safeCsvStringify({ header: true, columns: [...AUDIT_EXPORT_COLUMNS], cast: { date: (d) => d.toISOString() } }), out);
  }
}
