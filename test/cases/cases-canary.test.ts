import { randomBytes, randomInt } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Response } from 'supertest';
import { dumpDatabase } from '../support/pg-dump.js';
import { createTestApp, DEMO, type TestApp } from '../support/test-app.js';
import { given } from './given.js';

/**
 * A person with unique name, phone and document values goes through the API (reads, writes, errors,
 * export); then neither value may appear in a dump of the database, in the application logs of the
 * run, or in any error body.
 */
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const NAME = `Zqcanary${randomBytes(5).toString('hex')}`;
const FAMILY = `Wkcanary${randomBytes(5).toString('hex')}`;
const DIGITS = String(randomInt(10_000_000, 99_999_999));
const PHONE = `+212 6${DIGITS}`;
const DOCUMENT = `CAN${randomInt(1_000_000, 9_999_999)}`;
const NEEDLES = [NAME, FAMILY, DIGITS, DOCUMENT];

const errors: string[] = [];
const keep = (res: Response) => {
  if (res.status >= 400) errors.push(res.text);
  return res;
};

describe('canary: identifying values stay out of the database in clear, the logs and error bodies', () => {
  it('runs the person through the API', async () => {
    const person = { givenName: NAME, familyName: FAMILY, phone: PHONE, documentType: 'passport', documentNumber: DOCUMENT, birthDate: '1993-07-14', sex: 'female' };
    const created = await given(t).caseFor(DEMO.counsellorOujda, person);
    const id = created.case.id;
    const c = await t.as(DEMO.counsellorOujda);
    const sup = await t.as(DEMO.supervisorOujda);

    const read = keep(await c.get(`/api/v1/cases/${id}`)).body;
    expect(read.person).toMatchObject({ givenName: NAME, familyName: FAMILY, phone: PHONE, documentNumber: DOCUMENT });
    keep(await c.get('/api/v1/cases'));
    const dup = keep(await c.post('/api/v1/cases/duplicates').send({ phone: `06${DIGITS}` })).body;
    expect(dup.possibleDuplicates.map((d: { caseId: string }) => d.caseId)).toContain(id);
    const second = await given(t).caseFor(DEMO.counsellorOujda, { givenName: FAMILY, familyName: NAME, birthDate: '1993-07-14', phone: `00212 6${DIGITS}` });
    expect(second.possibleDuplicates).toEqual([{ caseId: id, code: created.case.code, matchedOn: ['phone', 'name_birth_date'] }]);
    keep(await c.post(`/api/v1/cases/${id}/sessions`).send({ sessionDate: '2026-02-01', kind: 'psychosocial', note: `Séance avec ${NAME}, tel ${PHONE}` }));
    keep(await c.post(`/api/v1/cases/${id}/tasks`).send({ dueDate: '2026-03-01', description: `Rappeler ${NAME} au ${PHONE}` }));
    keep(await c.post(`/api/v1/cases/${id}/incidents`).send({ type: 'physical_assault', placeType: 'street', incidentDate: '2026-01-20', description: `${NAME} raconte` }));
    keep(await c.get(`/api/v1/cases/${id}/sessions`));
    keep(await sup.get(`/api/v1/cases/${id}/person/export`));

    // Errors carrying the values in their request: none may echo them.
    expect(keep(await c.post('/api/v1/cases').send({ person: { ...person, birthDate: '2023-02-30' } })).status).toBe(400);
    expect(keep(await c.post('/api/v1/cases').send({ person: { ...person, phone: `${NAME}${DIGITS}` } })).status).toBe(400);
    expect(keep(await c.post('/api/v1/cases').send({ person: { ...person, sex: NAME } })).status).toBe(400);
    expect(keep(await c.patch(`/api/v1/cases/${id}/person`).send({ givenName: NAME, nationality: DOCUMENT })).status).toBe(400);
    expect(keep(await c.post(`/api/v1/cases/${id}/sessions`).send({ sessionDate: PHONE, kind: 'phone', note: NAME })).status).toBe(400);
    expect(keep(await c.post(`/api/v1/cases/${id}/tasks`).send({ dueDate: '2026-03-01', description: NAME, assignedToId: DOCUMENT })).status).toBe(400);
    expect(keep(await c.post(`/api/v1/cases/${id}/consents`).send({ givenBy: NAME, method: 'verbal', fields: [PHONE] })).status).toBe(400);
    expect(keep(await c.post('/api/v1/cases').set('Content-Type', 'application/json').send(`{"person":{"givenName":"${NAME}","phone":"${PHONE}"`)).status).toBe(400);
    expect(keep(await c.get(`/api/v1/cases?code=${NAME}-${DIGITS}&status=${DOCUMENT}`)).status).toBe(400);
    expect(keep(await (await t.as(DEMO.counsellorBerkane)).patch(`/api/v1/cases/${id}/person`).send({ givenName: NAME, phone: PHONE })).status).toBe(404);
    expect(keep(await (await t.as(DEMO.providerHealthOujda)).post('/api/v1/cases').send({ person })).status).toBe(403);
    expect(keep(await c.post(`/api/v1/cases/${id}/needs`).send({ category: 'mhpss' })).status).toBe(409);
    expect(errors.length).toBeGreaterThanOrEqual(12);
  });

  it('no error body contains a value', () => {
    for (const body of errors) for (const needle of NEEDLES) expect(body).not.toContain(needle);
  });

  it('no application log file of the run contains a value', () => {
    const dir = 'test/artifacts/logs';
    const files = readdirSync(dir).filter((f) => f.endsWith('.log'));
    expect(files).toContain('cases-canary.test.ts.log');
    const ours = readFileSync(join(dir, 'cases-canary.test.ts.log'), 'utf8');
    expect(ours).toContain('"statusCode":400'); // the requests above were logged
    for (const f of files) {
      const text = readFileSync(join(dir, f), 'utf8');
      for (const needle of NEEDLES) expect([f, text.includes(needle)]).toEqual([f, false]);
    }
  });

  it('a dump of the database does not contain a value', async () => {
    const dump = await dumpDatabase(t);
    // The values are there, encrypted: the identity row exists and holds cipher text.
    const stored = await t.db.query(`SELECT i.given_name_enc FROM person_identity i`);
    expect(stored.rows.some((r) => dump.includes(r.given_name_enc))).toBe(true);
    for (const needle of NEEDLES) expect([needle, dump.includes(needle)]).toEqual([needle, false]);
    expect(dump.toLowerCase()).not.toContain(NAME.toLowerCase());
  });
});
