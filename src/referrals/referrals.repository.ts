import { Injectable } from '@nestjs/common';
import type { SqlScope } from '../authorization/scope.js';
import type { Language } from '../authorization/actor.js';
import { acceptedSql, overdueSql } from './referral-rules.js';
import { decodeCursor, encodeCursor, type Page } from '../common/pagination.js';
import { plainEntity, plainRows } from '../database/plain-entity.js';
import { TransactionHost } from '../database/transaction.js';
import { Referral, ReferralEvent } from './referral.entity.js';
import { REFERRAL_STATUSES, type ReferralStatus } from './referral-state.js';

/** Condition fields of the Referral subject → columns (alias `r`). */
export const REFERRAL_SCOPE_COLUMNS = { unitId: 'r.unit_id', providerOrganisationId: 'r.provider_organisation_id', status: 'r.status' };

/** How many of a service's latest acceptances its median response time is taken over. */
export const ACCEPTANCE_SAMPLE = 200;

/**
 * A service's response time (REF-4, directory feedback) as one SELECT of `median` (hours from sent
 * to accepted) and `n` over its latest ACCEPTANCE_SAMPLE acceptances, `$1` the service: recent
 * behaviour, and a cost that does not grow with the service's history (referral_service_answered_idx).
 * A referral answered and not declined was accepted. DirectoryService.recordMeasuredResponseTime
 * runs it inside the write of the figure, after the acceptance's `step` took the service's lock
 * (`serviceLock`, held to the end of the transaction): two acceptances at once are measured one
 * after the other, each statement's snapshot taken after the lock was granted, so the later sees the
 * earlier and the figure recorded last counts both.
 */
export const ACCEPTANCE_MEASURE = `SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY hours) AS median, count(*)::int AS n
   FROM (SELECT extract(epoch FROM r.answered_at - r.sent_at) / 3600.0 AS hours
           FROM referral r
          WHERE r.service_id = $1 AND r.sent_at IS NOT NULL AND ${acceptedSql('r')}
          ORDER BY r.answered_at DESC LIMIT ${ACCEPTANCE_SAMPLE}) latest`;

export interface ReferralListFilter {
  status?: ReferralStatus[];
  overdue?: boolean;
  caseId?: string;
  priority?: string;
  cursor?: string;
  limit?: number;
}

export interface OverdueRow {
  id: string;
  reference: string;
  serviceId: string;
  priority: Referral['priority'];
  sentAt: Date;
  responseDueAt: Date;
  remindedAt: Date | null;
  escalatedAt: Date | null;
}

/** A referral as a command writes it: all but what the database fills in (reference, times, demo flag). */
export type NewReferral = Pick<
  Referral,
  | 'id' | 'caseId' | 'needId' | 'category' | 'serviceId' | 'serviceAtLocationId' | 'unitId' | 'providerOrganisationId' | 'referredById' | 'priority'
  | 'status' | 'version' | 'sharedFields' | 'noteEnc' | 'sharedEnc' | 'consentId' | 'sentAt' | 'responseDueAt' | 'previousReferralId'
> & { /** Null: the transaction's time, as created_at. */ updatedAt: Date | null };

/** One step of a referral's history as a command writes it. */
export type NewReferralEvent = Pick<ReferralEvent, 'actorId' | 'action' | 'fromStatus' | 'toStatus'> & Partial<Pick<ReferralEvent, 'reasonCode' | 'reasonTextEnc' | 'outcomeCode'>>;

/** What a step of the loop changes on the referral (its version is raised by the statement). */
export type StepChanges = Partial<
  Pick<
    Referral,
    | 'status' | 'updatedAt' | 'consentId' | 'sharedEnc' | 'sentAt' | 'responseDueAt' | 'answeredAt' | 'appointmentAt' | 'proposedServiceAtLocationId'
    | 'startedAt' | 'closedAt' | 'reasonCode' | 'reasonTextEnc' | 'outcomeCode' | 'replyNoteEnc'
  >
>;

/** A step as written: the referral after it, its whole history, and (when asked) the referring counsellor's address. */
export interface StepWritten {
  referral: Referral;
  history: ReferralEvent[];
  referrer?: Contact | null;
}

export interface Contact {
  email: string;
  language: Language;
}

@Injectable()
export class ReferralsRepository {
  constructor(private readonly tx: TransactionHost) {}

  private get referrals() {
    return this.tx.manager.getRepository(Referral);
  }

  /**
   * A new referral, numbered in the caller's transaction (the unit's next number of the year: no
   * gaps, no duplicates; REF-<unit code>-<year>-<number, 6 digits or more>), written as `n` says,
   * with its first steps of history: one prepared statement (issue #18) that returns both as
   * written, the steps in their order.
   */
  async insertNumbered(n: NewReferral, year: number, steps: NewReferralEvent[]): Promise<{ referral: Referral; history: ReferralEvent[] }> {
    const r = plainEntity(this.tx.dataSource, Referral, 'r');
    const e = plainEntity(this.tx.dataSource, ReferralEvent, 'e');
    const params: unknown[] = [
      n.id, n.caseId, n.needId, n.category, n.serviceId, n.serviceAtLocationId, n.unitId, n.providerOrganisationId, n.referredById, n.priority,
      n.status, n.version, n.sharedFields, n.noteEnc, n.sharedEnc, n.consentId, n.sentAt, n.responseDueAt, n.previousReferralId, year, n.updatedAt,
    ];
    const rows = await this.tx.prepared(
      `referrals.insert_numbered.${steps.length}`,
      `WITH n AS (INSERT INTO referral_counter (unit_id, year, last_number) VALUES ($7, $20, 1)
                  ON CONFLICT (unit_id, year) DO UPDATE SET last_number = referral_counter.last_number + 1
                  RETURNING unit_id, year, last_number::text AS num),
            made AS (INSERT INTO referral AS r (id, reference, case_id, need_id, category, service_id, service_at_location_id, unit_id, provider_organisation_id,
                                  referred_by_id, priority, status, version, shared_fields, note_enc, shared_enc, consent_id, sent_at, response_due_at,
                                  previous_referral_id, updated_at)
                     VALUES ($1, (SELECT 'REF-' || coalesce((SELECT code FROM organisation WHERE id = n.unit_id), 'UNIT') || '-' || n.year || '-' || lpad(n.num, greatest(6, length(n.num)), '0') FROM n),
                             $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, coalesce($21, now()))
                     RETURNING ${r.select}),
            steps AS (${this.eventsInsert(steps, params)} RETURNING ${e.select})
       SELECT * FROM made, steps ORDER BY steps.e_at, steps.e_id`,
      params,
    );
    return { referral: r.hydrate(rows[0]!), history: rows.map((row) => e.hydrate(row)) };
  }

  /** The INSERT of steps of the referral whose id is `$1`, their parameters added to `params`. */
  private eventsInsert(steps: NewReferralEvent[], params: unknown[]): string {
    // clock_timestamp() as the column's default; a microsecond apart so that steps written together keep their order.
    const tuples = steps.map(
      (x, k) =>
        `($1, ${[x.actorId, x.action, x.fromStatus, x.toStatus, x.reasonCode ?? null, x.reasonTextEnc ?? null, x.outcomeCode ?? null].map((v) => `$${params.push(v)}`).join(', ')}, clock_timestamp()${k ? ` + interval '${k} microseconds'` : ''})`,
    );
    return `INSERT INTO referral_event AS e (referral_id, actor_id, action, from_status, to_status, reason_code, reason_text_enc, outcome_code, at) VALUES ${tuples.join(', ')}`;
  }

  // A referral's page reads the referral, its history and (unit side) its case on every request:
  // prepared statements, without TypeORM's query building (issue #18).

  async history(referralId: string): Promise<ReferralEvent[]> {
    const e = plainEntity(this.tx.dataSource, ReferralEvent, 'e');
    const rows = await this.tx.prepared('referrals.history', `SELECT ${e.select} FROM referral_event e WHERE e.referral_id = $1 ORDER BY e.at ASC, e.id ASC`, [referralId]);
    return rows.map((row) => e.hydrate(row));
  }

  /** The scope's fragment bound as QueryBuilder binds it. */
  async findInScope(scope: SqlScope, id: string): Promise<Referral | null> {
    const r = plainEntity(this.tx.dataSource, Referral, 'r');
    const rows = await this.tx.preparedNamed('referrals.in_scope', `SELECT ${r.select} FROM referral r WHERE r.id = :id AND (${scope.sql})`, { ...scope.params, id });
    return rows[0] ? r.hydrate(rows[0]) : null;
  }

  async findById(id: string): Promise<Referral | null> {
    const r = plainEntity(this.tx.dataSource, Referral, 'r');
    const rows = await this.tx.prepared('referrals.by_id', `SELECT ${r.select} FROM referral r WHERE r.id = $1`, [id]);
    return rows[0] ? r.hydrate(rows[0]) : null;
  }

  /**
   * A step of the loop, written in one prepared statement (issue #18): the referral's changes only
   * if it is still in `from` at `version` (version + 1), its history row, and back the referral as
   * the UPDATE left it with its whole history, oldest first (the new row last: its clock_timestamp()
   * is the latest) — or null when someone else changed it first (the caller reloads and reports the
   * current state). `referrer`: with the referring counsellor's address (unless the account is
   * disabled), for the e-mail of the step. `serviceLock`: the per-service lock of ACCEPTANCE_MEASURE
   * taken too, held to the end of the transaction.
   */
  async step(
    id: string,
    from: ReferralStatus,
    version: number,
    changes: StepChanges,
    event: NewReferralEvent,
    opts: { referrer?: boolean; serviceLock?: boolean } = {},
  ): Promise<StepWritten | null> {
    const keys = Object.keys(changes) as Array<keyof StepChanges>;
    const shape = `${keys.join(',')}|${opts.referrer ? 'c' : ''}${opts.serviceLock ? 'l' : ''}`;
    let st = this.steps.get(shape);
    if (!st) this.steps.set(shape, (st = this.stepStatement(keys, opts, this.steps.size)));
    const params: unknown[] = [id, from, version, event.actorId, event.action, event.fromStatus, event.toStatus, event.reasonCode ?? null, event.reasonTextEnc ?? null, event.outcomeCode ?? null];
    for (const k of keys) params.push(changes[k]);
    const rows = await this.tx.prepared<Record<string, unknown>>(st.name, st.sql, params);
    if (!rows.length) return null;
    const r = plainEntity(this.tx.dataSource, Referral, 'r');
    const e = plainEntity(this.tx.dataSource, ReferralEvent, 'e');
    const first = rows[0]!;
    const referrer = opts.referrer ? (first.to_email === null ? null : { email: first.to_email as string, language: first.to_language as Language }) : undefined;
    return { referral: r.hydrate(first), history: rows.map((row) => e.hydrate(row)), referrer };
  }

  /** Statement texts of `step`, one per shape of changes (a handful: the steps and their options). */
  private readonly steps = new Map<string, { name: string; sql: string }>();

  private stepStatement(keys: Array<keyof StepChanges>, opts: { referrer?: boolean; serviceLock?: boolean }, n: number): { name: string; sql: string } {
    const meta = this.tx.dataSource.getMetadata(Referral);
    const r = plainEntity(this.tx.dataSource, Referral, 'r');
    const e = plainEntity(this.tx.dataSource, ReferralEvent, 'e');
    const set = keys.map((k, i) => `${meta.findColumnWithPropertyName(k)!.databaseName} = $${11 + i}`);
    const sql = `WITH u AS (UPDATE referral AS r SET version = r.version + 1, ${set.join(', ')}
                  WHERE r.id = $1 AND r.status = $2 AND r.version = $3 RETURNING ${r.select}),
       added AS (INSERT INTO referral_event AS e (referral_id, actor_id, action, from_status, to_status, reason_code, reason_text_enc, outcome_code, at)
                 SELECT u.r_id, $4::uuid, $5::varchar, $6::referral_status, $7::referral_status, $8::varchar, $9::text, $10::varchar, clock_timestamp() FROM u
                 RETURNING ${e.select}),
       h AS (SELECT ${e.select} FROM referral_event e WHERE e.referral_id = $1 UNION ALL SELECT * FROM added)${
         opts.serviceLock ? `,
       l AS (SELECT pg_advisory_xact_lock(hashtext('service_response_stats'), hashtext(u.r_service_id::text)) FROM u)` : ''
       }
  SELECT u.*, h.*${opts.referrer ? ', c.email AS to_email, c.language AS to_language' : ''}
    FROM u CROSS JOIN h${opts.serviceLock ? ' CROSS JOIN l' : ''}${opts.referrer ? ` LEFT JOIN app_user c ON c.id = u.r_referred_by_id AND c.status <> 'disabled'` : ''}
   ORDER BY h.e_at, h.e_id`;
    return { name: `referrals.step.${n}`, sql };
  }

  /**
   * A page of the inbox or outbox, newest first on (created_at, id) after the cursor (`keysetPage`'s
   * order and cursor). Every inbox request makes it: written out, prepared per filter shape, each row
   * the referral's values as pg parses them (plainRows) — no query building, no hydration (issue #18).
   */
  async list(scope: SqlScope, f: ReferralListFilter, now: Date): Promise<Page<Referral>> {
    const r = plainRows(this.tx.dataSource, Referral, 'r');
    const limit = f.limit ?? 50;
    const cursor = decodeCursor(f.cursor);
    const where = [`(${scope.sql})`];
    if (f.status?.length) where.push('r.status IN (:...statuses)');
    if (f.overdue === true) where.push(overdueSql('r', ':now'));
    if (f.overdue === false) where.push(`NOT ${overdueSql('r', ':now')}`);
    if (f.caseId) where.push('r.case_id = :caseId');
    if (f.priority) where.push('r.priority = :priority');
    // The cursor carries created_at at full (microsecond) precision (see keysetPage).
    if (cursor) where.push('(r.created_at, r.id) < (CAST(:cursorAt AS timestamptz), CAST(:cursorId AS uuid))');
    const rows = await this.tx.preparedNamed<Record<string, unknown>>(
      'referrals.list',
      `SELECT ${r.select}, to_char(r.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS keyset_at
         FROM referral r WHERE ${where.join(' AND ')} ORDER BY r.created_at DESC, r.id DESC LIMIT :limit`,
      { ...scope.params, statuses: f.status, now, caseId: f.caseId, priority: f.priority, cursorAt: cursor?.at, cursorId: cursor?.id, limit: limit + 1 },
    );
    const items = rows.slice(0, limit);
    const last = rows.length > limit ? items.at(-1) : undefined;
    const nextCursor = last ? encodeCursor(last.keyset_at as string, last.id as string) : null;
    // keyset_at was selected last: deleting it takes the row back to the shape of the others.
    for (const row of items) delete row.keyset_at;
    return { items: items.map((row) => r.hydrate(row)), nextCursor };
  }

  /** Counts per status in scope, plus the overdue ones. */
  async counts(scope: SqlScope, now: Date): Promise<Record<ReferralStatus | 'overdue', number>> {
    const rows: Array<{ status: ReferralStatus; n: string; overdue: string }> = await this.referrals
      .createQueryBuilder('r')
      .select('r.status', 'status')
      .addSelect('count(*)', 'n')
      .addSelect(`count(*) FILTER (WHERE ${overdueSql('r', ':now')})`, 'overdue')
      .where(scope.sql, scope.params)
      .setParameter('now', now)
      .groupBy('r.status')
      .getRawMany();
    const out = Object.fromEntries([...REFERRAL_STATUSES, 'overdue'].map((s) => [s, 0])) as Record<ReferralStatus | 'overdue', number>;
    for (const row of rows) {
      out[row.status] = Number(row.n);
      out.overdue += Number(row.overdue);
    }
    return out;
  }

  /** Drafts of a case that relied on consent (all drafts: a withdrawal stops them). */
  draftsOfCase(caseId: string): Promise<Referral[]> {
    return this.referrals.findBy({ caseId, status: 'draft' });
  }

  /** Referrals of a case that still share something with a provider (sent at some point, not yet erased). */
  sharingOfCase(caseId: string): Promise<Referral[]> {
    return this.referrals
      .createQueryBuilder('r')
      .where('r.case_id = :caseId AND r.sent_at IS NOT NULL AND r.consent_withdrawn_at IS NULL', { caseId })
      .orderBy('r.created_at')
      .addOrderBy('r.id')
      .getMany();
  }

  /** Consent no longer covers the referral: what it shared (values and note) is erased, the moment kept. */
  async eraseShared(id: string): Promise<void> {
    await this.referrals.createQueryBuilder().update().set({ sharedEnc: null, noteEnc: null, consentWithdrawnAt: () => 'now()' }).where('id = :id', { id }).execute();
  }

  /** Sent referrals past their deadline that still owe a reminder or an escalation. */
  async overdue(now: Date): Promise<OverdueRow[]> {
    return this.referrals
      .createQueryBuilder('r')
      .select(['r.id', 'r.reference', 'r.serviceId', 'r.priority', 'r.sentAt', 'r.responseDueAt', 'r.remindedAt', 'r.escalatedAt'])
      .where(overdueSql('r', ':now'), { now })
      .andWhere('(r.reminded_at IS NULL OR r.escalated_at IS NULL)')
      .orderBy('r.response_due_at', 'ASC')
      .getMany() as Promise<OverdueRow[]>;
  }

  /** Every overdue referral, for the daily digest. */
  allOverdue(now: Date): Promise<Referral[]> {
    return this.referrals
      .createQueryBuilder('r')
      .where(overdueSql('r', ':now'), { now })
      .orderBy('r.response_due_at', 'ASC')
      .getMany();
  }

  async stamp(ids: string[], column: 'remindedAt' | 'escalatedAt', at: Date): Promise<void> {
    if (!ids.length) return;
    await this.referrals.createQueryBuilder().update().set({ [column]: at }).whereInIds(ids).execute();
  }

  /** Tells "consent withdrawn" from "never consented" when no active consent covers a referral. */
  async caseHasWithdrawnConsent(caseId: string): Promise<boolean> {
    const rows: Array<{ found: boolean }> = await this.tx.manager.query(`SELECT EXISTS (SELECT 1 FROM consent WHERE case_id = $1 AND withdrawn_at IS NOT NULL) AS found`, [caseId]);
    return rows[0]?.found === true;
  }

  /** Active coordinators of a region (the digest and escalation recipients). */
  async coordinatorsOf(regionId: string): Promise<Contact[]> {
    return this.tx.manager.query(
      `SELECT u.email, u.language FROM app_user u JOIN organisation o ON o.id = u.organisation_id
        WHERE o.region_id = $1 AND o.type = 'coordination_body' AND 'coordinator' = ANY(u.roles) AND u.status <> 'disabled'
        ORDER BY u.email`,
      [regionId],
    );
  }

  async contactOf(userId: string): Promise<Contact | null> {
    const rows: Contact[] = await this.tx.manager.query(`SELECT email, language FROM app_user WHERE id = $1 AND status <> 'disabled'`, [userId]);
    return rows[0] ?? null;
  }

  async organisationNames(ids: string[]): Promise<Map<string, { name: string; code: string | null }>> {
    const rows: Array<{ id: string; name: string; code: string | null }> = await this.tx.manager.query(`SELECT id, name, code FROM organisation WHERE id = ANY($1)`, [ids]);
    return new Map(rows.map((r) => [r.id, { name: r.name, code: r.code }]));
  }

  async regionName(regionId: string): Promise<string> {
    const rows: Array<{ name_fr: string }> = await this.tx.manager.query(`SELECT name_fr FROM place WHERE id = $1`, [regionId]);
    return rows[0]?.name_fr ?? '';
  }

  async hasDemoReferrals(): Promise<boolean> {
    return (await this.referrals.countBy({ isDemo: true })) > 0;
  }

  async markDemo(id: string): Promise<void> {
    await this.referrals.update({ id }, { isDemo: true });
  }

  /** For the demo seed: an open need of a demo case of the unit, and a service at a location of the provider offering it. */
  async demoTarget(unitId: string, category: string, serviceCategories: string[], providerId: string): Promise<{ caseId: string; needId: string; serviceAtLocationId: string } | null> {
    const rows: Array<{ case_id: string; need_id: string; sal_id: string }> = await this.tx.manager.query(
      `SELECT c.id AS case_id, n.id AS need_id, sal.id AS sal_id
         FROM case_file c
         JOIN case_need n ON n.case_id = c.id AND n.status = 'open' AND n.category = $2
         JOIN service s ON s.organisation_id = $3 AND s.status = 'active' AND s.categories && $4::varchar[]
         JOIN service_at_location sal ON sal.service_id = s.id
        WHERE c.unit_id = $1 AND c.is_demo AND c.status <> 'closed'
          AND NOT EXISTS (SELECT 1 FROM referral r WHERE r.need_id = n.id AND r.service_id = s.id)
        ORDER BY c.created_at, s.created_at, sal.id
        LIMIT 1`,
      [unitId, category, providerId, serviceCategories],
    );
    const r = rows[0];
    return r ? { caseId: r.case_id, needId: r.need_id, serviceAtLocationId: r.sal_id } : null;
  }
}
