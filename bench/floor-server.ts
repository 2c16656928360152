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

const config = parseConfig(process.env);
const db = new pg.Pool({ connectionString: config.database.url, max: config.database.poolSize, application_name: 'tawjih-floor' });
const codec = new IdentityCodec(new FieldCipher(config.crypto.keys, config.crypto.activeKey, config.crypto.blindIndexKey));

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

/** GET /cases?unit&actor&limit&cursor&code — the case list of a unit, newest first, keyset. */
async function listCases(q: URLSearchParams) {
  const unit = q.get('unit')!;
  const limit = Number(q.get('limit') ?? 50);
  const params: unknown[] = [unit];
  let where = 'c.unit_id = $1';
  const code = q.get('code');
  if (code) where += ` AND c.code LIKE $${params.push(`${code.toUpperCase().replace(/[%_\\]/g, '\\$&')}%`)}`;
  const cursor = decodeCursor(q.get('cursor') ?? undefined);
  if (cursor) where += ` AND (c.created_at, c.id) < ($${params.push(cursor.at)}::timestamptz, $${params.push(cursor.id)}::uuid)`;
  return inTx(async (c) => {
    const rows = (
      await c.query(
        `SELECT ${CASE_COLUMNS}, to_char(c.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS keyset_at
           FROM case_file c WHERE ${where} ORDER BY c.created_at DESC, c.id DESC LIMIT ${limit + 1}`,
        params,
      )
    ).rows;
    const items = rows.slice(0, limit);
    const needs = (await c.query(`SELECT case_id, category FROM case_need WHERE case_id = ANY($1::uuid[]) AND status = 'open' ORDER BY category`, [items.map((r) => r.id)]))
      .rows;
    const byCase = new Map<string, string[]>();
    for (const n of needs) byCase.set(n.case_id, [...(byCase.get(n.case_id) ?? []), n.category]);
    await audit(c, q.get('actor')!, unit, 'list', 'case', null, 'GET /api/v1/cases');
    const last = items.at(-1);
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
      nextCursor: rows.length > limit && last ? encodeCursor(last.keyset_at, last.id) : null,
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
    send(res, 404, { code: 'NOT_FOUND' });
  };
  route().catch((e: unknown) => send(res, 500, { code: 'FLOOR_ERROR', detail: String((e as Error)?.message ?? e) }));
});
server.listen(config.port, '127.0.0.1', () => process.stdout.write(`floor listening on ${config.port}\n`));
process.on('SIGTERM', () => {
  server.close();
  void db.end().finally(() => process.exit(0));
});
