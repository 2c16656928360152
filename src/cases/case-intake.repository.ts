import { Injectable } from '@nestjs/common';
import { TransactionHost } from '../database/transaction.js';
import type { IdentityIndexes } from './identity.codec.js';
import type { PersonIdentity } from './person-identity.entity.js';

/** A row of each table, in column order, for the set-based inserts of an intake (see CaseIntakeService). */
export interface IntakeRows {
  persons: Array<{ id: string; sex: string; birthDate: string | null; ageBand: string | null; nationality: string | null; populationGroup: string | null; disability: boolean | null; at: string }>;
  identities: Array<Omit<PersonIdentity, 'updatedAt' | 'person'>>;
  cases: Array<{ id: string; code: string; personId: string; status: string; riskLevel: string; closureReason: string | null; openedOn: string; closedOn: string | null }>;
  needs: Array<{ caseId: string; category: string; status: string; at: string; closedOn: string | null }>;
  sessions: Array<{ caseId: string; on: string }>;
  deliveries: Array<{ personId: string; caseId: string; category: string; on: string; outcome: string }>;
}

export interface IntakeCounts {
  persons: number;
  cases: number;
  needs: number;
  sessions: number;
  deliveries: number;
}

/** Noon of a programme date, as an instant (historical timestamps of imported records). */
const NOON = `(d + time '12:00') AT TIME ZONE 'Africa/Casablanca'`;

/**
 * Set-based writes of many persons and cases at once (register imports): one INSERT … SELECT FROM
 * unnest(…) per table and chunk instead of one statement per record.
 */
@Injectable()
export class CaseIntakeRepository {
  constructor(private readonly tx: TransactionHost) {}

  /** Reserves `n` case numbers of a unit and year; returns the first. Holds the counter row until commit. */
  async reserveNumbers(unitId: string, year: number, n: number): Promise<number> {
    const rows: Array<{ last_number: number }> = await this.tx.manager.query(
      `INSERT INTO case_code_counter (unit_id, year, last_number) VALUES ($1, $2, $3)
       ON CONFLICT (unit_id, year) DO UPDATE SET last_number = case_code_counter.last_number + $3
       RETURNING last_number`,
      [unitId, year, n],
    );
    return rows[0]!.last_number - n + 1;
  }

  async counters(unitId: string): Promise<Map<number, number>> {
    const rows: Array<{ year: number; last_number: number }> = await this.tx.manager.query(`SELECT year, last_number FROM case_code_counter WHERE unit_id = $1`, [unitId]);
    return new Map(rows.map((r) => [r.year, r.last_number]));
  }

  /** Puts a counter back to `before` if nobody took a number after `reachedBy` (0: the row did not exist). */
  async restoreCounter(unitId: string, year: number, reachedBy: number, before: number): Promise<void> {
    if (before === 0) await this.tx.manager.query(`DELETE FROM case_code_counter WHERE unit_id = $1 AND year = $2 AND last_number = $3`, [unitId, year, reachedBy]);
    else await this.tx.manager.query(`UPDATE case_code_counter SET last_number = $4 WHERE unit_id = $1 AND year = $2 AND last_number = $3`, [unitId, year, reachedBy, before]);
  }

  async insert(unitId: string, actorId: string, counsellorId: string, r: IntakeRows): Promise<void> {
    const q = (sql: string, params: unknown[]) => this.tx.manager.query(sql, params);
    const col = <T, K extends keyof T>(rows: T[], k: K) => rows.map((x) => x[k]);
    const p = r.persons;
    if (p.length)
      await q(
        `INSERT INTO person (id, unit_id, sex, birth_date, age_band, nationality, population_group, disability, created_at, updated_at)
         SELECT id, $1, sex, birth_date, age_band, nationality, population_group, disability, (day + time '12:00') AT TIME ZONE 'Africa/Casablanca', (day + time '12:00') AT TIME ZONE 'Africa/Casablanca'
           FROM unnest($2::uuid[], $3::sex[], $4::date[], $5::age_band[], $6::char(2)[], $7::population_group[], $8::boolean[], $9::date[])
             AS t(id, sex, birth_date, age_band, nationality, population_group, disability, day)`,
        [unitId, col(p, 'id'), col(p, 'sex'), col(p, 'birthDate'), col(p, 'ageBand'), col(p, 'nationality'), col(p, 'populationGroup'), col(p, 'disability'), col(p, 'at')],
      );
    const i = r.identities;
    if (i.length)
      await q(
        `INSERT INTO person_identity (person_id, given_name_enc, family_name_enc, phone_enc, address_enc, document_type, document_number_enc, phone_bi, document_bi, name_birth_bi)
         SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::document_type[], $7::text[], $8::varchar[], $9::varchar[], $10::varchar[])`,
        [
          col(i, 'personId'),
          col(i, 'givenNameEnc'),
          col(i, 'familyNameEnc'),
          col(i, 'phoneEnc'),
          col(i, 'addressEnc'),
          col(i, 'documentType'),
          col(i, 'documentNumberEnc'),
          col(i, 'phoneBi'),
          col(i, 'documentBi'),
          col(i, 'nameBirthBi'),
        ],
      );
    const c = r.cases;
    if (c.length)
      await q(
        `INSERT INTO case_file (id, code, unit_id, person_id, assigned_counsellor_id, status, risk_level, closure_reason, closed_at, created_at, updated_at)
         SELECT id, code, $1, person_id, $2, status, risk_level, closure_reason,
                CASE WHEN closed_on IS NULL THEN NULL ELSE (closed_on + time '12:00') AT TIME ZONE 'Africa/Casablanca' END,
                (opened_on + time '12:00') AT TIME ZONE 'Africa/Casablanca', (coalesce(closed_on, opened_on) + time '12:00') AT TIME ZONE 'Africa/Casablanca'
           FROM unnest($3::uuid[], $4::varchar[], $5::uuid[], $6::case_status[], $7::risk_level[], $8::closure_reason[], $9::date[], $10::date[])
             AS t(id, code, person_id, status, risk_level, closure_reason, opened_on, closed_on)`,
        [unitId, counsellorId, col(c, 'id'), col(c, 'code'), col(c, 'personId'), col(c, 'status'), col(c, 'riskLevel'), col(c, 'closureReason'), col(c, 'openedOn'), col(c, 'closedOn')],
      );
    const n = r.needs;
    if (n.length)
      await q(
        `INSERT INTO case_need (case_id, category, status, recorded_by_id, closed_at, created_at, updated_at)
         SELECT case_id, category, status, $1, CASE WHEN closed_on IS NULL THEN NULL ELSE (closed_on + time '12:00') AT TIME ZONE 'Africa/Casablanca' END,
                (day + time '12:00') AT TIME ZONE 'Africa/Casablanca', (coalesce(closed_on, day) + time '12:00') AT TIME ZONE 'Africa/Casablanca'
           FROM unnest($2::uuid[], $3::need_category[], $4::need_status[], $5::date[], $6::date[]) AS t(case_id, category, status, day, closed_on)`,
        [actorId, col(n, 'caseId'), col(n, 'category'), col(n, 'status'), col(n, 'at'), col(n, 'closedOn')],
      );
    const s = r.sessions;
    if (s.length)
      await q(
        `INSERT INTO case_session (case_id, session_date, kind, author_id, created_at)
         SELECT case_id, d, 'psychosocial', $1, ${NOON} FROM unnest($2::uuid[], $3::date[]) AS t(case_id, d)`,
        [counsellorId, col(s, 'caseId'), col(s, 'on')],
      );
    const d = r.deliveries;
    if (d.length)
      await q(
        `INSERT INTO delivery (person_id, case_id, unit_id, category, provider_organisation_id, delivered_on, outcome, recorded_by_id, created_at)
         SELECT person_id, case_id, $1, category, $1, d, outcome, $2, ${NOON}
           FROM unnest($3::uuid[], $4::uuid[], $5::need_category[], $6::date[], $7::delivery_outcome[]) AS t(person_id, case_id, category, d, outcome)`,
        [unitId, actorId, col(d, 'personId'), col(d, 'caseId'), col(d, 'category'), col(d, 'on'), col(d, 'outcome')],
      );
  }

  /** For each set of indexes, the unit's cases whose person matches one of them (any of the three). */
  async matches(unitId: string, ix: IdentityIndexes[]): Promise<Array<{ n: number; code: string; phone: boolean; document: boolean; name_birth: boolean }>> {
    if (!ix.length) return [];
    return this.tx.manager.query(
      `SELECT q.n, c.code, coalesce(i.phone_bi = q.phone, false) AS phone, coalesce(i.document_bi = q.doc, false) AS document,
              coalesce(i.name_birth_bi = q.nb, false) AS name_birth
         FROM unnest($2::varchar[], $3::varchar[], $4::varchar[]) WITH ORDINALITY AS q(phone, doc, nb, n)
         JOIN person_identity i ON i.phone_bi = q.phone OR i.document_bi = q.doc OR i.name_birth_bi = q.nb
         JOIN person p ON p.id = i.person_id AND p.unit_id = $1
         JOIN case_file c ON c.person_id = p.id
        ORDER BY q.n, c.created_at DESC`,
      [unitId, ix.map((x) => x.phoneBi), ix.map((x) => x.documentBi), ix.map((x) => x.nameBirthBi)],
    );
  }

  /**
   * What was recorded on these cases, to tell an untouched import from one people have worked on
   * since: changed cases (version), and records of every kind (referrals included: they cascade).
   */
  async recorded(caseIds: string[]): Promise<IntakeCounts & { changed: number; other: number }> {
    const [r] = await this.tx.manager.query(
      `SELECT (SELECT count(*) FROM case_file WHERE id = ANY($1) AND version > 0)::int AS changed,
              (SELECT count(*) FROM case_need WHERE case_id = ANY($1))::int AS needs,
              (SELECT count(*) FROM case_session WHERE case_id = ANY($1))::int AS sessions,
              (SELECT count(*) FROM delivery WHERE case_id = ANY($1))::int AS deliveries,
              ((SELECT count(*) FROM consent WHERE case_id = ANY($1)) + (SELECT count(*) FROM incident WHERE case_id = ANY($1))
               + (SELECT count(*) FROM follow_up_task WHERE case_id = ANY($1)) + (SELECT count(*) FROM referral WHERE case_id = ANY($1))
               + (SELECT count(*) FROM case_file c WHERE c.person_id IN (SELECT person_id FROM case_file WHERE id = ANY($1)) AND NOT c.id = ANY($1)))::int AS other`,
      [caseIds],
    );
    return { persons: 0, cases: caseIds.length, ...r };
  }

  /** Deletes imported cases and their persons (needs and sessions cascade; deliveries do not). */
  async remove(caseIds: string[], personIds: string[]): Promise<void> {
    const q = (sql: string, params: unknown[]) => this.tx.manager.query(sql, params);
    await q(`DELETE FROM delivery WHERE case_id = ANY($1)`, [caseIds]);
    await q(`DELETE FROM case_file WHERE id = ANY($1)`, [caseIds]);
    await q(`DELETE FROM person_identity WHERE person_id = ANY($1)`, [personIds]);
    await q(`DELETE FROM person WHERE id = ANY($1)`, [personIds]);
  }
}
