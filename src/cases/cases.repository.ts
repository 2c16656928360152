import { Injectable } from '@nestjs/common';
import type { SelectQueryBuilder } from 'typeorm';
import { validationError } from '../common/domain-error.js';
import { decodeCursor, encodeCursor, type Page } from '../common/pagination.js';
import { plainEntity, plainRows } from '../database/plain-entity.js';
import { TransactionHost } from '../database/transaction.js';
import type { SqlScope } from '../authorization/scope.js';
import { Case } from './case.entity.js';
import { Person } from './person.entity.js';
import { PersonIdentity } from './person-identity.entity.js';
import type { IdentityIndexes, StoredIdentity } from './identity.codec.js';
import type { CaseQuery } from './dto/case.dto.js';
import type { CaseListItemView, CaseView, NeedView, PersonView } from './case.views.js';
import type { Category } from '../common/categories.js';
import type { CaseStatus, NeedStatus, RiskLevel } from './cases.constants.js';

/** Condition fields of the Case and Incident subjects → columns (alias `c` = case_file). */
/** What another feature may know of a need: which, of what category, open or not. */
export interface NeedRef {
  id: string;
  category: Category;
  status: NeedStatus;
}

/** A case's page as `detailInScope` reads it: the case, its person, the identity still encrypted, the needs. */
export interface CaseDetailRow extends CaseView {
  person: Omit<PersonView, 'givenName' | 'familyName' | 'phone' | 'address' | 'documentType' | 'documentNumber'>;
  identity: StoredIdentity | null;
  needs: NeedView[];
}

/** An instant inside a JSON value, as the epoch milliseconds a Date holds (pg's own parsing of a timestamptz truncates to them too). */
const EPOCH_MS = (column: string) => `floor(extract(epoch FROM ${column}) * 1000)`;
const instant = (ms: number | null) => (ms === null ? null : new Date(ms));

/** `detailInScope`'s row as pg parses it: the instants inside its JSON still numbers. */
type DetailRow = Omit<CaseDetailRow, 'person' | 'needs'> & {
  person: Omit<CaseDetailRow['person'], 'anonymisedAt'> & { anonymisedAt: number | null };
  needs: Array<Omit<NeedView, 'closedAt' | 'createdAt' | 'updatedAt'> & { closedAt: number | null; createdAt: number; updatedAt: number }>;
};

export const CASE_SCOPE_COLUMNS = { unitId: 'c.unit_id', assignedCounsellorId: 'c.assigned_counsellor_id' };

/** What `open` writes: a new person (id made by the caller), their encrypted identity and their case with its needs. */
export interface NewCaseFile {
  person: Pick<Person, 'id' | 'unitId' | 'sex' | 'birthDate' | 'ageBand' | 'nationality' | 'populationGroup' | 'provinceId' | 'communeId' | 'disability' | 'languages'>;
  identity: Omit<PersonIdentity, 'updatedAt' | 'person'>;
  caseId: string;
  year: number;
  counsellorId: string;
  riskLevel: RiskLevel;
  /** The needs' ids are made by the caller too (the answer lists them without reading them back). */
  needs: Array<{ id: string; category: Category }>;
  recordedById: string;
}

export interface DuplicateHit {
  caseId: string;
  code: string;
  phone: boolean;
  document: boolean;
  nameBirth: boolean;
}

/**
 * Cases of a unit whose person has the same phone, document or name + birth date (blind indexes),
 * newest first, at most 20; the person `except` (nullable) left out. Arguments: parameter positions.
 */
const duplicatesSql = (unit: string, phoneBi: string, documentBi: string, nameBirthBi: string, except: string) =>
  `SELECT c.id AS case_id, c.code, c.created_at,
          coalesce(i.phone_bi = ${phoneBi}, false) AS phone,
          coalesce(i.document_bi = ${documentBi}, false) AS document,
          coalesce(i.name_birth_bi = ${nameBirthBi}, false) AS name_birth
     FROM person_identity i
     JOIN person p ON p.id = i.person_id
     JOIN case_file c ON c.person_id = p.id
    WHERE p.unit_id = ${unit} AND (${except}::uuid IS NULL OR p.id <> ${except})
      AND (i.phone_bi = ${phoneBi} OR i.document_bi = ${documentBi} OR i.name_birth_bi = ${nameBirthBi})
    ORDER BY c.created_at DESC LIMIT 20`;

@Injectable()
export class CasesRepository {
  constructor(private readonly tx: TransactionHost) {}

  private get cases() {
    return this.tx.manager.getRepository(Case);
  }
  private get persons() {
    return this.tx.manager.getRepository(Person);
  }
  private get identities() {
    return this.tx.manager.getRepository(PersonIdentity);
  }

  /**
   * Next case number of a unit for a year. Must run inside the creating transaction: the row lock
   * makes concurrent creations wait their turn, and a rollback gives the number back.
   */
  async nextNumber(unitId: string, year: number): Promise<number> {
    const rows: Array<{ last_number: number }> = await this.tx.manager.query(
      `INSERT INTO case_code_counter (unit_id, year, last_number) VALUES ($1, $2, 1)
       ON CONFLICT (unit_id, year) DO UPDATE SET last_number = case_code_counter.last_number + 1
       RETURNING last_number`,
      [unitId, year],
    );
    return rows[0]!.last_number;
  }

  savePerson(p: Person): Promise<Person> {
    return this.persons.save(p);
  }

  async saveIdentity(i: Omit<PersonIdentity, 'updatedAt' | 'person'>): Promise<void> {
    await this.identities.save(this.identities.create(i));
  }

  findPerson(id: string): Promise<Person | null> {
    return this.persons.findOneBy({ id });
  }

  /** A person and its identity (if any), in one prepared statement (a case's page, issue #18). */
  async personAndIdentity(personId: string): Promise<{ person: Person; identity: PersonIdentity | null } | null> {
    const p = plainEntity(this.tx.dataSource, Person, 'p');
    const i = plainEntity(this.tx.dataSource, PersonIdentity, 'i');
    const rows = await this.tx.prepared(
      'cases.person_and_identity',
      `SELECT ${p.select}, ${i.select} FROM person p LEFT JOIN person_identity i ON i.person_id = p.id WHERE p.id = $1`,
      [personId],
    );
    const row = rows[0];
    if (!row) return null;
    return { person: p.hydrate(row), identity: row.i_person_id ? i.hydrate(row) : null };
  }

  /**
   * The person of a case, the case's unit and (`withIdentity`) the person's identity if any, in one
   * prepared statement (every referral sent reads it: issue #18).
   */
  async personOfCase(caseId: string, withIdentity: boolean): Promise<{ person: Person; unitId: string; identity: PersonIdentity | null } | null> {
    const p = plainEntity(this.tx.dataSource, Person, 'p');
    const i = plainEntity(this.tx.dataSource, PersonIdentity, 'i');
    const rows = withIdentity
      ? await this.tx.prepared(
          'cases.person_of_case_with_identity',
          `SELECT ${p.select}, c.unit_id AS case_unit_id, ${i.select} FROM case_file c JOIN person p ON p.id = c.person_id LEFT JOIN person_identity i ON i.person_id = p.id WHERE c.id = $1`,
          [caseId],
        )
      : await this.tx.prepared('cases.person_of_case', `SELECT ${p.select}, c.unit_id AS case_unit_id FROM case_file c JOIN person p ON p.id = c.person_id WHERE c.id = $1`, [caseId]);
    const row = rows[0];
    if (!row) return null;
    return { person: p.hydrate(row), unitId: row.case_unit_id as string, identity: withIdentity && row.i_person_id ? i.hydrate(row) : null };
  }

  /**
   * A person registered and their case opened as `n` says, in one prepared statement (issue #18):
   * the person, their identity, the case numbered in the unit's year (the counter row stays locked
   * until commit; the code prefixed with the unit's code) and its needs, each row written once; the
   * unit's possible duplicates (duplicatesSql) read in the same statement, which does not see the
   * new person. Returns the case as written, or null — with the
   * person and identity written, so the caller must roll back — when the unit has no code.
   */
  async open(n: NewCaseFile): Promise<{ c: Case; duplicates: DuplicateHit[] } | null> {
    const c = plainEntity(this.tx.dataSource, Case, 'c');
    const { person: p, identity: i } = n;
    const rows = await this.tx.prepared(
      'cases.open',
      `WITH p AS (INSERT INTO person (id, unit_id, sex, birth_date, age_band, nationality, population_group, province_id, commune_id, disability, languages)
                  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)),
            i AS (INSERT INTO person_identity (person_id, given_name_enc, family_name_enc, phone_enc, address_enc, document_type, document_number_enc,
                                               phone_bi, document_bi, name_birth_bi, name_bis)
                  VALUES ($1, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21)),
            u AS (SELECT code FROM organisation WHERE id = $2 AND code IS NOT NULL),
            n AS (INSERT INTO case_code_counter (unit_id, year, last_number) SELECT $2::uuid, $22::int, 1 FROM u
                  ON CONFLICT (unit_id, year) DO UPDATE SET last_number = case_code_counter.last_number + 1
                  RETURNING last_number::text AS num),
            c AS (INSERT INTO case_file AS c (id, code, unit_id, person_id, assigned_counsellor_id, risk_level)
                  SELECT $23::uuid, u.code || '-' || $22::int || '-' || lpad(n.num, greatest(5, length(n.num)), '0'), $2::uuid, $1::uuid, $24::uuid, $25::risk_level FROM u, n
                  RETURNING ${c.select}),
            nd AS (INSERT INTO case_need (id, case_id, category, recorded_by_id)
                   SELECT t.id, c.c_id, t.category, $26::uuid FROM c, unnest($27::uuid[], $28::need_category[]) AS t(id, category))
       SELECT c.*,
              (SELECT coalesce(json_agg(json_build_object('caseId', d.case_id, 'code', d.code, 'phone', d.phone, 'document', d.document, 'nameBirth', d.name_birth)
                                        ORDER BY d.created_at DESC), '[]')
                 FROM (${duplicatesSql('$2', '$18', '$19', '$20', '$1')}) d) AS duplicates
         FROM c`,
      [
        p.id, p.unitId, p.sex, p.birthDate, p.ageBand, p.nationality, p.populationGroup, p.provinceId, p.communeId, p.disability, p.languages,
        i.givenNameEnc, i.familyNameEnc, i.phoneEnc, i.addressEnc, i.documentType, i.documentNumberEnc, i.phoneBi, i.documentBi, i.nameBirthBi, i.nameBis,
        n.year, n.caseId, n.counsellorId, n.riskLevel, n.recordedById, n.needs.map((x) => x.id), n.needs.map((x) => x.category),
      ],
    );
    const row = rows[0];
    if (!row) return null;
    return { c: c.hydrate(row), duplicates: row.duplicates as DuplicateHit[] };
  }

  /** A prepared statement, the scope's fragment bound as QueryBuilder would (issue #18: a case's page). */
  async findInScope(scope: SqlScope, id: string): Promise<Case | null> {
    const c = plainEntity(this.tx.dataSource, Case, 'c');
    const rows = await this.tx.preparedNamed('cases.in_scope', `SELECT ${c.select} FROM case_file c WHERE c.id = :id AND (${scope.sql})`, { ...scope.params, id });
    return rows[0] ? c.hydrate(rows[0]) : null;
  }

  /**
   * A case's page (GET /cases/:id) in one prepared statement (issue #18): the case in scope, its
   * person, the person's identity still encrypted (null when there is none) and the needs, newest
   * first (at most 500), each column under the view's name so the row is the view.
   */
  async detailInScope(scope: SqlScope, id: string): Promise<CaseDetailRow | null> {
    const rows = await this.tx.preparedNamed<DetailRow>(
      'cases.detail_in_scope',
      `SELECT c.id, c.code, c.unit_id AS "unitId", c.person_id AS "personId", c.assigned_counsellor_id AS "assignedCounsellorId", c.status, c.risk_level AS "riskLevel",
              c.closure_reason AS "closureReason", c.closed_at AS "closedAt", c.reopen_reason AS "reopenReason", c.reopened_at AS "reopenedAt", c.version,
              c.anonymised_at AS "anonymisedAt", c.created_at AS "createdAt", c.updated_at AS "updatedAt",
              json_build_object('id', p.id, 'sex', p.sex, 'birthDate', p.birth_date::text, 'ageBand', p.age_band, 'nationality', p.nationality,
                                'populationGroup', p.population_group, 'provinceId', p.province_id, 'communeId', p.commune_id, 'disability', p.disability,
                                'languages', p.languages::text[], 'anonymisedAt', ${EPOCH_MS('p.anonymised_at')}) AS person,
              CASE WHEN i.person_id IS NULL THEN NULL
                   ELSE json_build_object('givenNameEnc', i.given_name_enc, 'familyNameEnc', i.family_name_enc, 'phoneEnc', i.phone_enc, 'addressEnc', i.address_enc,
                                          'documentType', i.document_type, 'documentNumberEnc', i.document_number_enc) END AS identity,
              coalesce((SELECT json_agg(json_build_object('id', n.id, 'caseId', n.case_id, 'category', n.category, 'status', n.status, 'closedAt', ${EPOCH_MS('n.closed_at')},
                                                          'createdAt', ${EPOCH_MS('n.created_at')}, 'updatedAt', ${EPOCH_MS('n.updated_at')}) ORDER BY n.created_at DESC, n.id DESC)
                          FROM (SELECT * FROM case_need WHERE case_id = c.id ORDER BY created_at DESC, id DESC LIMIT 500) n), '[]') AS needs
         FROM case_file c JOIN person p ON p.id = c.person_id LEFT JOIN person_identity i ON i.person_id = p.id
        WHERE c.id = :id AND (${scope.sql})`,
      { ...scope.params, id },
    );
    const row = rows[0];
    if (!row) return null;
    // The row's own objects, their instants made Dates in place.
    const person = Object.assign(row.person, { anonymisedAt: instant(row.person.anonymisedAt) });
    const needs = row.needs.map((n) => Object.assign(n, { closedAt: instant(n.closedAt), createdAt: new Date(n.createdAt), updatedAt: new Date(n.updatedAt) }));
    return Object.assign(row, { person, needs });
  }

  /**
   * `findInScope` with the case's needs (id, category, status; newest first, as a case's page lists
   * them, at most 500): one prepared statement (every referral made reads both: issue #18).
   */
  async findInScopeWithNeeds(scope: SqlScope, id: string): Promise<{ c: Case; needs: NeedRef[] } | null> {
    const c = plainEntity(this.tx.dataSource, Case, 'c');
    const rows = await this.tx.preparedNamed(
      'cases.in_scope_with_needs',
      `SELECT ${c.select},
              coalesce((SELECT json_agg(json_build_object('id', n.id, 'category', n.category, 'status', n.status) ORDER BY n.created_at DESC, n.id DESC)
                          FROM (SELECT * FROM case_need WHERE case_id = c.id ORDER BY created_at DESC, id DESC LIMIT 500) n), '[]') AS needs
         FROM case_file c WHERE c.id = :id AND (${scope.sql})`,
      { ...scope.params, id },
    );
    return rows[0] ? { c: c.hydrate(rows[0]), needs: rows[0].needs as NeedRef[] } : null;
  }

  /** Without scope: for system callers (referrals on the provider side, jobs) that check access themselves. */
  findById(id: string): Promise<Case | null> {
    return this.cases.findOneBy({ id });
  }

  casesOfPerson(personId: string): Promise<Case[]> {
    return this.cases.find({ where: { personId }, order: { createdAt: 'ASC' } });
  }

  /**
   * A page of the case list, newest first on (created_at, id) after the cursor (`keysetPage`'s order
   * and cursor), each row the list item itself with its open needs (one statement, no hydration:
   * issue #18). Written out and prepared per filter shape — but for a code search, planned per
   * request: a prefix bound as a parameter cannot use case_file_code_prefix_idx in a generic plan.
   */
  async listItems(scope: SqlScope, q: CaseQuery): Promise<Page<CaseListItemView>> {
    const limit = q.limit ?? 50;
    const cursor = decodeCursor(q.cursor);
    const { where, params } = filters(scope, q);
    // The cursor carries created_at at full (microsecond) precision (see keysetPage).
    if (cursor) where.push('(c.created_at, c.id) < (CAST(:cursorAt AS timestamptz), CAST(:cursorId AS uuid))');
    const sql = `SELECT ${LIST_ITEM}, to_char(c.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS keyset_at
                   FROM case_file c WHERE ${where.join(' AND ')} ORDER BY c.created_at DESC, c.id DESC LIMIT :limit`;
    const values = { ...params, cursorAt: cursor?.at, cursorId: cursor?.id, limit: limit + 1 };
    const rows = await this.tx.preparedNamed<ListRow>(q.code ? null : 'cases.list', sql, values);
    const items = rows.slice(0, limit);
    const last = rows.length > limit ? items.at(-1) : undefined;
    const nextCursor = last ? encodeCursor(last.keyset_at, last.id) : null;
    // keyset_at was selected last: deleting it takes the row back to the item's shape.
    for (const row of items) delete (row as Partial<ListRow>).keyset_at;
    return { items, nextCursor };
  }

  /**
   * The caseload's order across pages: next open follow-up (soonest first, none last), then risk
   * (highest first), then the case id; keyset on that triple, so page 2 continues page 1's order.
   */
  async caseloadPage(scope: SqlScope, q: CaseQuery): Promise<Page<Case>> {
    const limit = q.limit ?? 50;
    const qb = this.filtered(scope, q)
      .addSelect(`coalesce((SELECT min(t.due_date) FROM follow_up_task t WHERE t.case_id = c.id AND t.status = 'open'), DATE '9999-12-31')::text`, 'k_due')
      .addSelect(`CASE c.risk_level WHEN 'high' THEN 0 WHEN 'medium' THEN 1 ELSE 2 END`, 'k_risk');
    const after = decodeCaseloadCursor(q.cursor);
    if (after) {
      qb.andWhere(
        `(coalesce((SELECT min(t.due_date) FROM follow_up_task t WHERE t.case_id = c.id AND t.status = 'open'), DATE '9999-12-31'), CASE c.risk_level WHEN 'high' THEN 0 WHEN 'medium' THEN 1 ELSE 2 END, c.id) > (CAST(:kDue AS date), CAST(:kRisk AS int), CAST(:kId AS uuid))`,
        { kDue: after.due, kRisk: after.risk, kId: after.id },
      );
    }
    const { entities, raw } = await qb.orderBy('k_due', 'ASC').addOrderBy('k_risk', 'ASC').addOrderBy('c.id', 'ASC').limit(limit + 1).getRawAndEntities();
    const rows = raw as Array<{ c_id: string; k_due: string; k_risk: number }>;
    const items = entities.slice(0, limit);
    const last = items.at(-1) && rows.find((r) => r.c_id === items.at(-1)!.id);
    return { items, nextCursor: entities.length > limit && last ? Buffer.from(JSON.stringify([last.k_due, Number(last.k_risk), last.c_id])).toString('base64url') : null };
  }

  private filtered(scope: SqlScope, q: CaseQuery): SelectQueryBuilder<Case> {
    const { where, params } = filters(scope, q);
    return this.cases.createQueryBuilder('c').where(where.join(' AND '), params);
  }

  /**
   * Cases in scope whose person matches every given blind index (phone, document number, each
   * word of the name): exact look-ups on keyed hashes, no identity decrypted to search.
   */
  findByIndexes(scope: SqlScope, ix: { phoneBi: string | null; documentBi: string | null; nameBis: string[] }, limit: number): Promise<Case[]> {
    // Written out and prepared per shape (which indexes are given): every search makes it (issue #18).
    const c = plainRows(this.tx.dataSource, Case, 'c');
    const where = [`(${scope.sql})`];
    if (ix.phoneBi) where.push('i.phone_bi = :phoneBi');
    if (ix.documentBi) where.push('i.document_bi = :documentBi');
    if (ix.nameBis.length) where.push('i.name_bis @> CAST(:nameBis AS varchar[])');
    return this.tx.preparedNamed<Case>(
      'cases.by_indexes',
      `SELECT ${c.select} FROM case_file c JOIN person_identity i ON i.person_id = c.person_id
        WHERE ${where.join(' AND ')} ORDER BY c.updated_at DESC, c.id DESC LIMIT :limit`,
      { ...scope.params, phoneBi: ix.phoneBi, documentBi: ix.documentBi, nameBis: ix.nameBis, limit },
    );
  }

  /**
   * What a caseload shows beside each case, in one statement: its next open follow-up (a date in
   * Morocco) and its last activity (the latest of a session, a follow-up, a referral change or the
   * case itself).
   */
  async caseloadFacts(caseIds: string[]): Promise<Map<string, { nextFollowUp: string | null; lastActivity: Date }>> {
    const map = new Map<string, { nextFollowUp: string | null; lastActivity: Date }>();
    if (!caseIds.length) return map;
    const rows = await this.tx.prepared<{ id: string; next_follow_up: string | null; last_activity: Date }>(
      'cases.caseload_facts',
      `SELECT c.id,
              (SELECT min(t.due_date)::text FROM follow_up_task t WHERE t.case_id = c.id AND t.status = 'open') AS next_follow_up,
              greatest(c.updated_at,
                       (SELECT max(s.created_at) FROM case_session s WHERE s.case_id = c.id),
                       (SELECT max(t.created_at) FROM follow_up_task t WHERE t.case_id = c.id),
                       (SELECT max(r.updated_at) FROM referral r WHERE r.case_id = c.id)) AS last_activity
         FROM case_file c WHERE c.id = ANY($1::uuid[])`,
      [caseIds],
    );
    for (const r of rows) map.set(r.id, { nextFollowUp: r.next_follow_up, lastActivity: r.last_activity });
    return map;
  }

  /** Identities without name indexes (written before they existed), in person order after `after`. */
  identitiesWithoutNameIndexes(after: string | null, limit: number): Promise<PersonIdentity[]> {
    const qb = this.identities.createQueryBuilder('i').where(`i.name_bis = '{}'`);
    if (after) qb.andWhere('i.person_id > :after', { after });
    return qb.orderBy('i.person_id', 'ASC').limit(limit).getMany();
  }

  async setNameIndexes(personId: string, nameBis: string[]): Promise<void> {
    await this.identities.createQueryBuilder().update().set({ nameBis }).where('person_id = :personId', { personId }).execute();
  }

  /** The encrypted names of several persons (a caseload shows the name, nothing else of the identity). */
  async namesOf(personIds: string[]): Promise<EncryptedName[]> {
    if (!personIds.length) return [];
    return this.tx.prepared<EncryptedName>(
      'cases.names_of',
      `SELECT person_id AS "personId", given_name_enc AS "givenNameEnc", family_name_enc AS "familyNameEnc" FROM person_identity WHERE person_id = ANY($1::uuid[])`,
      [personIds],
    );
  }

  /** Open need categories of several cases in one query (for list pages). */
  async openNeeds(caseIds: string[]): Promise<Map<string, Category[]>> {
    const map = new Map<string, Category[]>(caseIds.map((id) => [id, []]));
    if (!caseIds.length) return map;
    const rows = await this.tx.prepared<{ case_id: string; category: Category }>(
      'cases.open_needs',
      `SELECT case_id, category FROM case_need WHERE case_id = ANY($1::uuid[]) AND status = 'open' ORDER BY category`,
      [caseIds],
    );
    for (const r of rows) map.get(r.case_id)!.push(r.category);
    return map;
  }

  /** Cases of the unit whose person has the same phone, document or name + birth date. */
  async possibleDuplicates(unitId: string, ix: IdentityIndexes, exceptPersonId?: string): Promise<DuplicateHit[]> {
    if (!ix.phoneBi && !ix.documentBi && !ix.nameBirthBi) return [];
    const rows: Array<{ case_id: string; code: string; phone: boolean; document: boolean; name_birth: boolean }> = await this.tx.manager.query(
      duplicatesSql('$1', '$2', '$3', '$4', '$5'),
      [unitId, ix.phoneBi, ix.documentBi, ix.nameBirthBi, exceptPersonId ?? null],
    );
    return rows.map((r) => ({ caseId: r.case_id, code: r.code, phone: r.phone, document: r.document, nameBirth: r.name_birth }));
  }

  /**
   * Changes a case only if nobody changed it since it was read (version) and it is still in one
   * of the expected states. False when someone else won.
   */
  async updateIf(id: string, version: number, from: readonly CaseStatus[], patch: Partial<Case>): Promise<boolean> {
    const r = await this.cases
      .createQueryBuilder()
      .update()
      .set({ ...patch, version: () => 'version + 1' })
      .where('id = :id AND version = :version AND status IN (:...from)', { id, version, from })
      .execute();
    return r.affected === 1;
  }

  /** Closed before `before` and not yet anonymised, oldest first. */
  async closedBefore(before: Date, limit: number): Promise<Case[]> {
    return this.cases
      .createQueryBuilder('c')
      .where(`c.status = 'closed' AND c.anonymised_at IS NULL AND c.closed_at < :before`, { before })
      .orderBy('c.closed_at', 'ASC')
      .limit(limit)
      .getMany();
  }

  /** Removes the free text and identifying data of a case; keeps what indicators count. */
  async anonymiseCase(caseId: string): Promise<void> {
    const m = this.tx.manager;
    await m.query(`UPDATE case_session SET note_enc = NULL WHERE case_id = $1`, [caseId]);
    await m.query(`UPDATE follow_up_task SET description_enc = NULL WHERE case_id = $1`, [caseId]);
    await m.query(`UPDATE incident SET description_enc = NULL WHERE case_id = $1`, [caseId]);
    await m.query(`UPDATE case_file SET anonymised_at = now(), version = version + 1 WHERE id = $1`, [caseId]);
  }

  /** True when every case of the person is anonymised (then the person can be too). */
  async allCasesAnonymised(personId: string): Promise<boolean> {
    const rows: unknown[] = await this.tx.manager.query(`SELECT 1 FROM case_file WHERE person_id = $1 AND anonymised_at IS NULL LIMIT 1`, [personId]);
    return rows.length === 0;
  }

  async anonymisePerson(personId: string): Promise<void> {
    await this.identities.delete({ personId });
    await this.tx.manager.query(`UPDATE person SET birth_date = NULL, anonymised_at = now() WHERE id = $1`, [personId]);
  }

  /** Labels a demo case, its person and deliveries (demo seeder). */
  async markDemo(caseId: string): Promise<void> {
    const m = this.tx.manager;
    await m.query(`UPDATE case_file SET is_demo = true WHERE id = $1`, [caseId]);
    await m.query(`UPDATE person SET is_demo = true WHERE id = (SELECT person_id FROM case_file WHERE id = $1)`, [caseId]);
    await m.query(`UPDATE delivery SET is_demo = true WHERE case_id = $1`, [caseId]);
  }

  async hasDemoCases(unitId: string): Promise<boolean> {
    return this.cases.existsBy({ unitId, isDemo: true });
  }
}

/** What the list shows of a case (caseListItem's fields, in its order), each under its name: the row is the item. */
const LIST_ITEM = `c.id, c.code, c.unit_id AS "unitId", c.assigned_counsellor_id AS "assignedCounsellorId", c.status, c.risk_level AS "riskLevel",
  c.closure_reason AS "closureReason",
  ARRAY(SELECT n.category::text FROM case_need n WHERE n.case_id = c.id AND n.status = 'open' ORDER BY n.category) AS "openNeeds",
  c.anonymised_at IS NOT NULL AS anonymised, c.created_at AS "createdAt", c.closed_at AS "closedAt", c.updated_at AS "updatedAt"`;

type ListRow = CaseListItemView & { keyset_at: string };

/** A person's name as stored (encrypted). */
export interface EncryptedName {
  personId: string;
  givenNameEnc: string;
  familyNameEnc: string | null;
}

/** The caller's scope and a list's filters as one WHERE (alias `c`), with their named parameters. */
function filters(scope: SqlScope, q: CaseQuery): { where: string[]; params: Record<string, unknown> } {
  const where = [`(${scope.sql})`];
  const params: Record<string, unknown> = { ...scope.params };
  // Codes are upper case. A code from its start (OUJ-2026-…) is a prefix, served by
  // case_file_code_prefix_idx; any other part ("00042") is searched within the caller's scope.
  if (q.code) {
    const code = q.code.toUpperCase().replace(/[%_\\]/g, '\\$&');
    where.push('c.code LIKE :code');
    params.code = /^[A-Z]{2,}-/.test(code) ? `${code}%` : `%${code}%`;
  }
  // Each given filter: its condition, its value bound under the condition's parameter.
  const given: Array<[unknown, string, string]> = [
    [q.status, 'c.status = :status', 'status'],
    [q.counsellorId, 'c.assigned_counsellor_id = :counsellor', 'counsellor'],
    [q.riskLevel, 'c.risk_level = :risk', 'risk'],
    [q.need, `EXISTS (SELECT 1 FROM case_need n WHERE n.case_id = c.id AND n.category = :need AND n.status = 'open')`, 'need'],
    [q.openedFrom, 'c.created_at >= :openedFrom', 'openedFrom'],
    [q.openedTo, 'c.created_at < (:openedTo::date + 1)', 'openedTo'],
  ];
  for (const [value, condition, name] of given) {
    if (!value) continue;
    where.push(condition);
    params[name] = value;
  }
  return { where, params };
}

/** A caseload cursor: the last row's (next follow-up, risk rank, id); anything else is a 400 naming `cursor`. */
function decodeCaseloadCursor(cursor?: string): { due: string; risk: number; id: string } | undefined {
  if (!cursor) return undefined;
  try {
    const [due, risk, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [string, number, string];
    if (!/^\d{4}-\d\d-\d\d$/.test(due) || ![0, 1, 2].includes(risk) || !/^[0-9a-f-]{36}$/i.test(id)) throw new Error();
    return { due, risk, id };
  } catch {
    throw validationError([{ field: 'cursor', message: 'cursor is not one this page issued' }]);
  }
}
