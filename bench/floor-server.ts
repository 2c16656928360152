// The floor: the least a server can do to answer the bench's requests — node:http, pg, the same SQL
// statements as the app (in a transaction, with the same audit rows) and the same decryption — but
// no framework, no authentication, no authorisation rules, no validation. The caller's unit and
// user travel in the query string. Started by bench/run.ts as a child process.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import pg from 'pg';
import { FieldCipher } from '../src/common/crypto/field-cipher.js';
import { IdentityCodec } from '../src/cases/identity.codec.js';
import { decodeCursor, encodeCursor } from '../src/common/pagination.js';
import { parseConfig } from '../src/config/config.js';
import { REPORT_SCENARIOS, reportFixturesFrom } from './reports.scenario.js';

const config = parseConfig(process.env);
const db = new pg.Pool({ connectionString: config.database.url, max: config.database.poolSize, application_name: 'tawjih-floor' });
// The report scenarios' hand-written SQL, as run.ts runs it directly: JIT off, each statement of a
// role on its own connection.
const reportDb = new pg.Pool({ connectionString: config.database.url, max: 3, application_name: 'tawjih-floor-reports', options: '-c jit=off' });
const cipher = new FieldCipher(config.crypto.keys, config.crypto.activeKey, config.crypto.blindIndexKey);
const codec = new IdentityCodec(cipher);

async function inTx<T>(fn: (c: pg.PoolClient) => Promise<T>): Promise<T> {
  const c = await db.connect();
  try {
    await c.query('BEGIN');
    const r = await fn(c);
    await c.query('COMMIT');
    return r;
  } catch (e) {
    await c.query('ROLLBACK').catch(() => undefined);
    throw e;
  } finally {
    c.release();
  }
}

const audit = (c: pg.PoolClient, actor: string, org: string, action: string, entity: string, entityId: string | null, route: string) =>
  c.query(`INSERT INTO audit_event (actor_id, organisation_id, action, entity, entity_id, route, ip) VALUES ($1, $2, $3, $4, $5, $6, '127.0.0.1')`, [
    actor,
    org,
    action,
    entity,
    entityId,
    route,
  ]);

const CASE_COLUMNS = `c.id, c.code, c.unit_id, c.person_id, c.assigned_counsellor_id, c.status, c.risk_level, c.closure_reason, c.closed_at,
  c.reopen_reason, c.reopened_at, c.version, c.anonymised_at, c.created_at, c.updated_at`;

/**
 * One keyset page, newest first on (created_at, id), of `table alias` under `where` (the app's keysetPage):
 * limit + 1 rows, the cursor carrying created_at at microsecond precision.
 */
async function keysetRows(c: pg.PoolClient | pg.Pool, from: string, alias: string, columns: string, where: string, params: unknown[], q: URLSearchParams) {
  const limit = Number(q.get('limit') ?? 50);
  const cursor = decodeCursor(q.get('cursor') ?? undefined);
  if (cursor) where += ` AND (${alias}.created_at, ${alias}.id) < ($${params.push(cursor.at)}::timestamptz, $${params.push(cursor.id)}::uuid)`;
  const rows = (
    await c.query(
      `SELECT ${columns}, to_char(${alias}.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS keyset_at
         FROM ${from} WHERE ${where} ORDER BY ${alias}.created_at DESC, ${alias}.id DESC LIMIT ${limit + 1}`,
      params,
    )
  ).rows;
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > limit && last ? encodeCursor(last.keyset_at, last.id) : null };
}

/** GET /cases?unit&actor&limit&cursor&code — the case list of a unit, newest first, keyset. */
async function listCases(q: URLSearchParams) {
  const unit = q.get('unit')!;
  const params: unknown[] = [unit];
  let where = 'c.unit_id = $1';
  const code = q.get('code');
  if (code) where += ` AND c.code LIKE $${params.push(`${code.toUpperCase().replace(/[%_\\]/g, '\\$&')}%`)}`;
  return inTx(async (c) => {
    const { items, nextCursor } = await keysetRows(c, 'case_file c', 'c', CASE_COLUMNS, where, params, q);
    const needs = (await c.query(`SELECT case_id, category FROM case_need WHERE case_id = ANY($1::uuid[]) AND status = 'open' ORDER BY category`, [items.map((r) => r.id)]))
      .rows;
    const byCase = new Map<string, string[]>();
    for (const n of needs) byCase.set(n.case_id, [...(byCase.get(n.case_id) ?? []), n.category]);
    await audit(c, q.get('actor')!, unit, 'list', 'case', null, 'GET /api/v1/cases');
    return {
      items: items.map((r) => ({
        id: r.id,
        code: r.code,
        unitId: r.unit_id,
        assignedCounsellorId: r.assigned_counsellor_id,
        status: r.status,
        riskLevel: r.risk_level,
        closureReason: r.closure_reason,
        openNeeds: byCase.get(r.id) ?? [],
        anonymised: r.anonymised_at !== null,
        createdAt: r.created_at,
        closedAt: r.closed_at,
        updatedAt: r.updated_at,
      })),
      nextCursor,
    };
  });
}

/** GET /cases/:id?unit&actor — a case with its person (decrypted) and needs. */
async function getCase(id: string, q: URLSearchParams) {
  const unit = q.get('unit')!;
  return inTx(async (c) => {
    const found = (await c.query(`SELECT ${CASE_COLUMNS} FROM case_file c WHERE c.id = $1 AND c.unit_id = $2`, [id, unit])).rows[0];
    if (!found) return null;
    const person = (await c.query(`SELECT * FROM person WHERE id = $1`, [found.person_id])).rows[0];
    const identity = (await c.query(`SELECT * FROM person_identity WHERE person_id = $1`, [found.person_id])).rows[0];
    const needs = (await c.query(`SELECT * FROM case_need WHERE case_id = $1 ORDER BY created_at DESC, id DESC LIMIT 500`, [id])).rows;
    await audit(c, q.get('actor')!, unit, 'read', 'case', id, 'GET /api/v1/cases/:id');
    await audit(c, q.get('actor')!, unit, 'read', 'person', person.id, 'GET /api/v1/cases/:id');
    const decoded = identity
      ? codec.decode({
          personId: identity.person_id,
          givenNameEnc: identity.given_name_enc,
          familyNameEnc: identity.family_name_enc,
          phoneEnc: identity.phone_enc,
          addressEnc: identity.address_enc,
          documentType: identity.document_type,
          documentNumberEnc: identity.document_number_enc,
        } as never)
      : null;
    return {
      ...found,
      person: { ...person, ...decoded },
      needs: needs.map((n) => ({ id: n.id, caseId: n.case_id, category: n.category, status: n.status, closedAt: n.closed_at, createdAt: n.created_at })),
    };
  });
}

/** POST /cases?unit&actor — registers a person (encrypted identity, duplicates) and opens a case. */
async function createCase(q: URLSearchParams, body: { person: Record<string, string>; needs?: string[]; riskLevel?: string }) {
  const unit = q.get('unit')!;
  const actor = q.get('actor')!;
  const p = body.person;
  const counsellor = (await db.query(`SELECT id, organisation_id, status, roles FROM app_user WHERE id = $1`, [actor])).rows[0];
  const unitRow = (await db.query(`SELECT id, code FROM organisation WHERE id = $1`, [unit])).rows[0];
  if (!counsellor || !unitRow?.code) throw new Error('unknown unit or counsellor');
  return inTx(async (c) => {
    const person = (
      await c.query(`INSERT INTO person (unit_id, sex, birth_date, nationality, population_group, languages) VALUES ($1, $2, $3, $4, $5, '{}') RETURNING *`, [
        unit,
        p.sex,
        p.birthDate ?? null,
        p.nationality ?? null,
        p.populationGroup ?? null,
      ])
    ).rows[0];
    const identity = {
      givenName: p.givenName!,
      familyName: p.familyName ?? null,
      phone: p.phone ?? null,
      address: null,
      documentType: null,
      documentNumber: null,
    };
    const e = codec.encode(person.id, identity, p.birthDate ?? null);
    await c.query(
      `INSERT INTO person_identity (person_id, given_name_enc, family_name_enc, phone_enc, address_enc, document_type, document_number_enc, phone_bi, document_bi, name_birth_bi)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [e.personId, e.givenNameEnc, e.familyNameEnc, e.phoneEnc, e.addressEnc, e.documentType, e.documentNumberEnc, e.phoneBi, e.documentBi, e.nameBirthBi],
    );
    const duplicates = (
      await c.query(
        `SELECT c.id AS case_id, c.code FROM person_identity i JOIN person p ON p.id = i.person_id JOIN case_file c ON c.person_id = p.id
          WHERE p.unit_id = $1 AND p.id <> $5 AND (i.phone_bi = $2 OR i.document_bi = $3 OR i.name_birth_bi = $4)
          ORDER BY c.created_at DESC LIMIT 20`,
        [unit, e.phoneBi, e.documentBi, e.nameBirthBi, person.id],
      )
    ).rows;
    const year = new Date().getUTCFullYear();
    const n = (
      await c.query(
        `INSERT INTO case_code_counter (unit_id, year, last_number) VALUES ($1, $2, 1)
         ON CONFLICT (unit_id, year) DO UPDATE SET last_number = case_code_counter.last_number + 1 RETURNING last_number`,
        [unit, year],
      )
    ).rows[0].last_number;
    const created = (
      await c.query(`INSERT INTO case_file (code, unit_id, person_id, assigned_counsellor_id, risk_level) VALUES ($1, $2, $3, $4, $5) RETURNING *`, [
        `${unitRow.code}-${year}-${String(n).padStart(5, '0')}`,
        unit,
        person.id,
        actor,
        body.riskLevel ?? 'low',
      ])
    ).rows[0];
    const needs = [];
    for (const category of body.needs ?? []) {
      needs.push((await c.query(`INSERT INTO case_need (case_id, category, recorded_by_id) VALUES ($1, $2, $3) RETURNING *`, [created.id, category, actor])).rows[0]);
    }
    await c.query(
      `INSERT INTO audit_event (actor_id, organisation_id, action, entity, entity_id, route, ip) VALUES ($1, $2, 'create', 'person', $3, $5, '127.0.0.1'), ($1, $2, 'create', 'case', $4, $5, '127.0.0.1')`,
      [actor, unit, person.id, created.id, 'POST /api/v1/cases'],
    );
    return { case: created, needs, possibleDuplicates: duplicates };
  });
}

// ---- referrals ------------------------------------------------------------------------------------

const REFERRAL_COLUMNS = `r.id, r.reference, r.case_id, r.need_id, r.category, r.service_id, r.service_at_location_id, r.unit_id, r.provider_organisation_id,
  r.referred_by_id, r.priority, r.status, r.version, r.shared_fields, r.note_enc, r.consent_id, r.sent_at, r.response_due_at, r.answered_at,
  r.started_at, r.closed_at, r.appointment_at, r.reason_code, r.reason_text_enc, r.outcome_code, r.previous_referral_id,
  r.proposed_service_at_location_id, r.created_at, r.updated_at`;
const PROVIDER_ACTIONS: Record<string, string[]> = { sent: ['accept', 'decline'], accepted: ['start', 'not-complete'], in_progress: ['complete', 'not-complete'] };
/** pg returns enum arrays as text: `{a,b}`. */
const pgArray = (v: string | string[]) => (Array.isArray(v) ? v : v.slice(1, -1).split(',').filter(Boolean));

async function serviceNames(c: pg.PoolClient | pg.Pool, ids: string[]): Promise<Map<string, string>> {
  const rows = (await c.query(`SELECT id, coalesce(name_fr, name_en, name_ar) AS name FROM service WHERE id = ANY($1::uuid[])`, [ids])).rows;
  return new Map(rows.map((r) => [r.id as string, r.name as string]));
}

/** What a provider sees of one referral (the app's view, provider side). */
function referralView(r: Record<string, never>, names: Map<string, string>) {
  return {
    id: r.id,
    reference: r.reference,
    status: r.status,
    priority: r.priority,
    category: r.category,
    serviceId: r.service_id,
    serviceAtLocationId: r.service_at_location_id,
    serviceName: names.get(r.service_id) ?? '',
    unitId: r.unit_id,
    providerOrganisationId: r.provider_organisation_id,
    sharedFields: pgArray(r.shared_fields),
    noteForProvider: cipher.decrypt(r.note_enc),
    sentAt: r.sent_at,
    responseDueAt: r.response_due_at,
    overdue: r.status === 'sent' && r.response_due_at !== null && (r.response_due_at as Date).getTime() < Date.now(),
    answeredAt: r.answered_at,
    startedAt: r.started_at,
    closedAt: r.closed_at,
    appointmentAt: r.appointment_at,
    reasonCode: r.reason_code,
    reasonText: cipher.decrypt(r.reason_text_enc),
    outcomeCode: r.outcome_code,
    proposedServiceAtLocationId: r.proposed_service_at_location_id,
    actions: PROVIDER_ACTIONS[r.status] ?? [],
    version: r.version,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

async function history(c: pg.PoolClient, id: string) {
  const rows = (await c.query(`SELECT action, from_status, to_status, at, reason_code, reason_text_enc, outcome_code FROM referral_event WHERE referral_id = $1 ORDER BY at, id`, [id])).rows;
  return rows.map((e) => ({ action: e.action, from: e.from_status, to: e.to_status, at: e.at, reasonCode: e.reason_code, reasonText: cipher.decrypt(e.reason_text_enc), outcomeCode: e.outcome_code }));
}

/** GET /referrals?provider&limit&cursor — a provider's inbox, newest first, keyset (no audit: the app writes none for lists). */
async function listReferrals(q: URLSearchParams) {
  const where = `r.provider_organisation_id = $1 AND r.status IS DISTINCT FROM 'draft'`;
  const { items, nextCursor } = await keysetRows(db, 'referral r', 'r', REFERRAL_COLUMNS, where, [q.get('provider')], q);
  const names = await serviceNames(db, [...new Set(items.map((r) => r.service_id as string))]);
  return { items: items.map((r) => referralView(r, names)), nextCursor };
}

/** GET /referrals/:id?provider&actor — one referral with its history and the shared fields' values (audited as a share). */
async function getReferral(id: string, q: URLSearchParams) {
  return inTx(async (c) => {
    const r = (await c.query(`SELECT ${REFERRAL_COLUMNS} FROM referral r WHERE r.id = $1 AND r.provider_organisation_id = $2 AND r.status IS DISTINCT FROM 'draft'`, [id, q.get('provider')]))
      .rows[0];
    if (!r) return null;
    const names = await serviceNames(c, [r.service_id]);
    const events = await history(c, id);
    const shared = pgArray(r.shared_fields);
    const person: Record<string, unknown> = {};
    if (shared.length) {
      const kase = (await c.query(`SELECT id, unit_id, person_id FROM case_file WHERE id = $1`, [r.case_id])).rows[0];
      const p = (await c.query(`SELECT age_band, sex, nationality, languages, population_group FROM person WHERE id = $1`, [kase.person_id])).rows[0];
      const identityRow = shared.some((f) => f === 'name' || f === 'phone' || f === 'documents')
        ? (await c.query(`SELECT * FROM person_identity WHERE person_id = $1`, [kase.person_id])).rows[0]
        : null;
      const identity = identityRow
        ? codec.decode({ personId: identityRow.person_id, givenNameEnc: identityRow.given_name_enc, familyNameEnc: identityRow.family_name_enc, phoneEnc: identityRow.phone_enc } as never)
        : null;
      for (const f of shared) {
        if (f === 'age_band' || f === 'sex' || f === 'nationality' || f === 'population_group') person[f] = p[f];
        else if (f === 'languages') person.languages = pgArray(p.languages);
        else if (f === 'phone') person.phone = identity?.phone ?? null;
        else if (f === 'name') person.name = identity ? [identity.givenName, identity.familyName].filter(Boolean).join(' ') : null;
        else if (f === 'needs_summary')
          person.needs_summary = (await c.query(`SELECT category FROM case_need WHERE case_id = $1 AND status = 'open' ORDER BY created_at DESC, id DESC`, [r.case_id])).rows.map((n) => n.category);
      }
      await audit(c, q.get('actor')!, kase.unit_id, 'share', 'person', kase.person_id, `GET /api/v1/referrals/${id}`);
    }
    return { ...referralView(r, names), history: events, person };
  });
}

/** POST /referrals?unit&actor — create and send: open need, visible accepting service, consent covering, number, history, audit. */
async function createReferral(q: URLSearchParams, body: { caseId: string; needId: string; serviceAtLocationId: string; priority: 'emergency' | 'urgent' | 'routine'; sharedFields: string[] }) {
  const actor = q.get('actor')!;
  return inTx(async (c) => {
    const kase = (await c.query(`SELECT id, unit_id, status, anonymised_at FROM case_file WHERE id = $1 AND unit_id = $2`, [body.caseId, q.get('unit')])).rows[0];
    if (!kase || kase.status === 'closed' || kase.anonymised_at) throw new Error('case not open');
    const need = (await c.query(`SELECT id, category FROM case_need WHERE id = $1 AND case_id = $2 AND status = 'open'`, [body.needId, kase.id])).rows[0];
    if (!need) throw new Error('need not open');
    const target = (
      await c.query(
        `SELECT s.id, s.organisation_id, s.categories, s.response_hours_emergency, s.response_hours_urgent, s.response_hours_routine, o.code
           FROM service_at_location sal JOIN service s ON s.id = sal.service_id JOIN organisation o ON o.id = $2
          WHERE sal.id = $1 AND s.status = 'active' AND s.capacity_status <> 'not_accepting' AND s.tier IN ('public', 'partners', 'restricted')`,
        [body.serviceAtLocationId, kase.unit_id],
      )
    ).rows[0];
    if (!target || !pgArray(target.categories).includes(need.category)) throw new Error('service not found');
    const consents = (await c.query(`SELECT id, categories, organisation_ids, fields FROM consent WHERE case_id = $1 AND withdrawn_at IS NULL ORDER BY created_at DESC, id DESC`, [kase.id])).rows;
    const consent = consents.find((k) => {
      const cats = pgArray(k.categories);
      const orgs = pgArray(k.organisation_ids);
      return (!cats.length || cats.includes(need.category)) && (!orgs.length || orgs.includes(target.organisation_id)) && body.sharedFields.every((f) => pgArray(k.fields).includes(f));
    });
    if (!consent) throw new Error('consent missing');
    const year = new Date().getUTCFullYear();
    const n = (
      await c.query(
        `INSERT INTO referral_counter (unit_id, year, last_number) VALUES ($1, $2, 1)
         ON CONFLICT (unit_id, year) DO UPDATE SET last_number = referral_counter.last_number + 1 RETURNING last_number`,
        [kase.unit_id, year],
      )
    ).rows[0].last_number;
    const hours = target[`response_hours_${body.priority}`] ?? { emergency: 4, urgent: 24, routine: 72 }[body.priority];
    const r = (
      await c.query(
        `INSERT INTO referral (reference, case_id, need_id, category, service_id, service_at_location_id, unit_id, provider_organisation_id, referred_by_id, priority,
                               status, version, shared_fields, consent_id, sent_at, response_due_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'sent', 1, $11, $12, now(), now() + make_interval(hours => $13)) RETURNING ${REFERRAL_COLUMNS.replace(/r\./g, '')}`,
        [`REF-${target.code}-${year}-${String(n).padStart(6, '0')}`, kase.id, need.id, need.category, target.id, body.serviceAtLocationId, kase.unit_id, target.organisation_id, actor, body.priority,
          body.sharedFields, consent.id, hours],
      )
    ).rows[0];
    await c.query(
      `INSERT INTO referral_event (referral_id, actor_id, action, from_status, to_status) VALUES ($1, $2, 'create', NULL, 'draft'), ($1, $2, 'send', 'draft', 'sent')`,
      [r.id, actor],
    );
    await c.query(
      `INSERT INTO audit_event (actor_id, organisation_id, action, entity, entity_id, route, ip) VALUES ($1, $2, 'create', 'referral', $3, $4, '127.0.0.1'), ($1, $2, 'transition', 'referral', $3, $4, '127.0.0.1')`,
      [actor, kase.unit_id, r.id, 'POST /api/v1/referrals'],
    );
    const focal = (await c.query(`SELECT coalesce(f.email, u.email) AS email FROM focal_point f LEFT JOIN app_user u ON u.id = f.user_id WHERE f.service_id = $1`, [target.id])).rows;
    for (const f of focal) {
      await c.query(`INSERT INTO outbox_message (recipient, subject, body, kind) VALUES ($1, $2, $3, 'referral.send')`, [f.email, `Orientation ${r.reference}`, `Nouvelle orientation ${r.reference}`]);
    }
    return { ...referralView(r, await serviceNames(c, [target.id])), history: await history(c, r.id) };
  });
}

/** POST /referrals/:id/accept?provider&actor — the conditional transition, history, audit, directory feedback, e-mail to the counsellor. */
async function acceptReferral(id: string, q: URLSearchParams) {
  const actor = q.get('actor')!;
  return inTx(async (c) => {
    const r = (await c.query(`SELECT ${REFERRAL_COLUMNS} FROM referral r WHERE r.id = $1 AND r.provider_organisation_id = $2 AND r.status IS DISTINCT FROM 'draft'`, [id, q.get('provider')]))
      .rows[0];
    if (!r) return null;
    const updated = (
      await c.query(
        `UPDATE referral SET status = 'accepted', answered_at = now(), appointment_at = NULL, version = version + 1, updated_at = now()
          WHERE id = $1 AND status = 'sent' AND version = $2 RETURNING ${REFERRAL_COLUMNS.replace(/r\./g, '')}`,
        [id, r.version],
      )
    ).rows[0];
    if (!updated) return 'conflict';
    await c.query(`INSERT INTO referral_event (referral_id, actor_id, action, from_status, to_status) VALUES ($1, $2, 'accept', 'sent', 'accepted')`, [id, actor]);
    await audit(c, actor, r.unit_id, 'transition', 'referral', id, `POST /api/v1/referrals/${id}/accept`);
    const stats = (await c.query(ACCEPTANCE_STATS_SQL, [r.service_id])).rows[0];
    await c.query(
      `INSERT INTO service_response_stats (service_id, median_response_hours, sample_size, updated_at) VALUES ($1, $2, $3, now())
       ON CONFLICT (service_id) DO UPDATE SET median_response_hours = EXCLUDED.median_response_hours, sample_size = EXCLUDED.sample_size, updated_at = EXCLUDED.updated_at`,
      [r.service_id, stats.median, Number(stats.n)],
    );
    const to = (await c.query(`SELECT email, language FROM app_user WHERE id = $1 AND status <> 'disabled'`, [r.referred_by_id])).rows[0];
    if (to) await c.query(`INSERT INTO outbox_message (recipient, subject, body, kind) VALUES ($1, $2, $3, 'referral.accept')`, [to.email, `Orientation ${r.reference} acceptée`, `Orientation ${r.reference} acceptée`]);
    return { ...referralView(updated, await serviceNames(c, [r.service_id])), history: await history(c, id) };
  });
}

/** The app's directory feedback on every accept (ReferralsRepository.acceptanceStats). */
const ACCEPTANCE_STATS_SQL = `SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY hours) AS median, count(*) AS n
   FROM (SELECT extract(epoch FROM r.answered_at - r.sent_at) / 3600.0 AS hours
           FROM referral r
          WHERE r.service_id = $1 AND r.answered_at IS NOT NULL AND r.sent_at IS NOT NULL AND r.status <> 'declined'
          ORDER BY r.answered_at DESC LIMIT 200) latest`;

/** The app's ranking statement (DirectorySearchService.suggest, no coordinates, language or population given). */
const SUGGEST_SQL = `SELECT s.id, (CASE WHEN s.categories[1] = $1 THEN 30 ELSE 25 END)::int AS p_category,
    (CASE WHEN (s.province_id = $2 OR EXISTS (SELECT 1 FROM service_at_location sal2 JOIN location l2 ON l2.id = sal2.location_id WHERE sal2.service_id = s.id AND l2.province_id = $2)) THEN 25
          WHEN s.region_id = $3 THEN 10 ELSE 0 END)::int AS p_proximity,
    ((CASE WHEN s.free_of_charge THEN 5 ELSE 0 END + CASE WHEN s.no_documents_required THEN 5 ELSE 0 END))::int AS p_access,
    (CASE s.capacity_status WHEN 'accepting' THEN 10 WHEN 'waiting_list' THEN 3 ELSE -15 END)::int AS p_capacity,
    (CASE WHEN rs.median_response_hours IS NULL THEN 0 ELSE round(greatest(0, 10 * (1 - rs.median_response_hours / 72.0))) END)::int AS p_response
  FROM service s LEFT JOIN service_response_stats rs ON rs.service_id = s.id
 WHERE s.tier IN ('public', 'partners', 'restricted') AND s.status = 'active' AND s.categories @> $4::varchar[]
 ORDER BY (CASE WHEN s.categories[1] = $1 THEN 30 ELSE 25 END)
        + (CASE WHEN (s.province_id = $2 OR EXISTS (SELECT 1 FROM service_at_location sal2 JOIN location l2 ON l2.id = sal2.location_id WHERE sal2.service_id = s.id AND l2.province_id = $2)) THEN 25
                WHEN s.region_id = $3 THEN 10 ELSE 0 END)
        + (CASE WHEN s.free_of_charge THEN 5 ELSE 0 END + CASE WHEN s.no_documents_required THEN 5 ELSE 0 END)
        + (CASE s.capacity_status WHEN 'accepting' THEN 10 WHEN 'waiting_list' THEN 3 ELSE -15 END)
        + (CASE WHEN rs.median_response_hours IS NULL THEN 0 ELSE round(greatest(0, 10 * (1 - rs.median_response_hours / 72.0))) END) DESC,
        s.last_modified DESC NULLS LAST, s.id ASC
 LIMIT 10`;

/** GET /suggestions?need&province — ranked services for a need, with what the list shows of each. */
async function suggest(q: URLSearchParams) {
  const need = q.get('need')!;
  const province = (await db.query(`SELECT id, parent_id FROM place WHERE code = $1`, [q.get('province')])).rows[0];
  const ranked = (await db.query(SUGGEST_SQL, [need, province.id, province.parent_id, [need]])).rows;
  const ids = ranked.map((r) => r.id);
  const rows = (
    await db.query(
      `SELECT s.id, coalesce(s.name_fr, s.name_en, s.name_ar) AS name, s.organisation_id, o.name AS organisation, p.code AS province, s.categories, s.capacity_status,
              s.free_of_charge, s.no_documents_required, s.interpreter_available,
              (SELECT array_agg(sal.id ORDER BY sal.id) FROM service_at_location sal WHERE sal.service_id = s.id) AS sal_ids,
              (SELECT array_agg(l.code ORDER BY l.id) FROM service_language l WHERE l.service_id = s.id) AS languages
         FROM service s JOIN organisation o ON o.id = s.organisation_id LEFT JOIN place p ON p.id = s.province_id
        WHERE s.id = ANY($1::uuid[])`,
      [ids],
    )
  ).rows;
  const byId = new Map(rows.map((r) => [r.id, r]));
  return {
    need,
    items: ranked.map((x) => {
      const s = byId.get(x.id)!;
      const parts = { category: x.p_category, proximity: x.p_proximity, language: 0, population: 0, access: x.p_access, capacity: x.p_capacity, responseTime: x.p_response };
      return {
        serviceId: s.id,
        name: s.name,
        organisation: { id: s.organisation_id, name: s.organisation },
        province: s.province,
        serviceAtLocationIds: s.sal_ids ?? [],
        categories: pgArray(s.categories),
        capacityStatus: s.capacity_status,
        freeOfCharge: s.free_of_charge,
        noDocumentsRequired: s.no_documents_required,
        interpreterAvailable: s.interpreter_available,
        languages: s.languages ?? [],
        distanceKm: null,
        score: Object.values(parts).reduce((a, b) => a + b, 0),
        parts,
      };
    }),
  };
}

function send(res: ServerResponse, status: number, body: unknown) {
  const json = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(json) });
  res.end(json);
}

async function readJson(req: IncomingMessage): Promise<never> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8')) as never;
}

const server = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://floor');
  const parts = url.pathname.split('/').filter(Boolean);
  const route = async () => {
    if (req.method === 'GET' && parts[0] === 'health') return send(res, 200, { status: 'ok' });
    if (parts[0] === 'cases' && parts.length === 1 && req.method === 'GET') return send(res, 200, await listCases(url.searchParams));
    if (parts[0] === 'cases' && parts.length === 1 && req.method === 'POST') return send(res, 201, await createCase(url.searchParams, await readJson(req)));
    if (parts[0] === 'cases' && parts.length === 2 && req.method === 'GET') {
      const found = await getCase(parts[1]!, url.searchParams);
      return found ? send(res, 200, found) : send(res, 404, { code: 'NOT_FOUND' });
    }
    if (parts[0] === 'referrals' && parts.length === 1 && req.method === 'GET') return send(res, 200, await listReferrals(url.searchParams));
    if (parts[0] === 'referrals' && parts.length === 1 && req.method === 'POST') return send(res, 201, await createReferral(url.searchParams, await readJson(req)));
    if (parts[0] === 'referrals' && parts.length === 2 && req.method === 'GET') {
      const found = await getReferral(parts[1]!, url.searchParams);
      return found ? send(res, 200, found) : send(res, 404, { code: 'NOT_FOUND' });
    }
    if (parts[0] === 'referrals' && parts.length === 3 && parts[2] === 'accept' && req.method === 'POST') {
      const done = await acceptReferral(parts[1]!, url.searchParams);
      return done === null ? send(res, 404, { code: 'NOT_FOUND' }) : done === 'conflict' ? send(res, 409, { code: 'INVALID_STATE' }) : send(res, 200, done);
    }
    if (parts[0] === 'suggestions' && req.method === 'GET') return send(res, 200, await suggest(url.searchParams));
    if (parts[0] === 'report' && parts.length === 2 && req.method === 'GET') {
      const s = REPORT_SCENARIOS.find((x) => x.name === parts[1]);
      return s ? send(res, 200, await s.floorSql!(reportDb, reportFixturesFrom(url.searchParams))) : send(res, 404, { code: 'NOT_FOUND' });
    }
    send(res, 404, { code: 'NOT_FOUND' });
  };
  route().catch((e: unknown) => send(res, 500, { code: 'FLOOR_ERROR', detail: String((e as Error)?.message ?? e) }));
});
server.listen(config.port, '127.0.0.1', () => process.stdout.write(`floor listening on ${config.port}\n`));
process.on('SIGTERM', () => {
  server.close();
  void Promise.all([db.end(), reportDb.end()]).finally(() => process.exit(0));
});
