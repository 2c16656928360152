import { createTestApp, DEMO, type TestApp } from '../support/test-app.js';
import { recordStatements } from '../support/statements.js';
import { given } from './given.js';

/**
 * What the hot requests cost in statements (issue #18: on these cores a statement's round trip is
 * a large share of a request’s CPU). Counted on the app’s real connection (TypeORM’s query logger).
 * Each bound is the count today: a new statement on these paths must be a
 * choice, made by raising the bound here. "The caller" is read by a token's first request only,
 * then remembered until a change to it is announced (src/users/remembered-callers.ts).
 */
let t: TestApp;
let statements: string[] = [];
beforeAll(async () => {
  t = await createTestApp();
  statements = recordStatements(t.app);
}, 120_000);
afterAll(() => t.close());

/** The statements of `request` alone (the set-up before it not counted). */
async function count(request: () => Promise<{ status: number }>, expected: number): Promise<string[]> {
  statements.length = 0;
  const res = await request();
  expect(res.status).toBe(expected);
  return [...statements];
}

describe('statements per request', () => {
  it('case detail: two statements (the case in scope with its person, identity and needs, its audit rows), no transaction; the caller remembered', async () => {
    const g = given(t);
    const c = await g.caseIn(DEMO.counsellorOujda, ['mhpss', 'legal_aid']);
    const counsellor = await t.as(DEMO.counsellorOujda);
    await counsellor.get(`/api/v1/cases/${c.id}`);
    const s = await count(() => counsellor.get(`/api/v1/cases/${c.id}`), 200);
    expect(s).toHaveLength(2);
    expect(s[0]).toMatch(/FROM case_file c JOIN person p .* LEFT JOIN person_identity i/s);
    expect(s[1]).toMatch(/^INSERT INTO audit_event/);
  });

  it('case create: the caller, then the person, identity, numbered case, needs and duplicate check in one statement and the audit rows in one INSERT, in one transaction', async () => {
    const counsellor = await t.as(DEMO.counsellorOujda);
    const body = (n: number) => ({
      person: { givenName: `Compte${n}`, familyName: 'Diallo', sex: 'female', birthDate: '1996-04-12', nationality: 'GN', populationGroup: 'migrant', phone: '+212612340000' },
      riskLevel: 'medium',
      needs: ['mhpss', 'health_care'],
    });
    await counsellor.post('/api/v1/cases').send(body(1)).expect(201);
    const s = await count(() => counsellor.post('/api/v1/cases').send(body(2)), 201);
    expect(s.length).toBeLessThanOrEqual(5);
    expect(s.filter((q) => /INSERT INTO person\b/.test(q))).toHaveLength(1);
    expect(s.filter((q) => /INSERT INTO person\b/.test(q) && /INSERT INTO case_need/.test(q) && /FROM person_identity/.test(q))).toHaveLength(1);
    expect(s.filter((q) => /^UPDATE\b/i.test(q))).toHaveLength(0);
    // No read of what was written, nor of the caller again.
    expect(s.filter((q) => /FROM "(case_file|case_need|person|app_user|organisation)"/.test(q))).toHaveLength(0);
    expect(s.at(-2)).toMatch(/^INSERT INTO audit_event/);
  });

  it('case list: two statements (the page with its open needs, its audit row), the caller remembered, the page keyset-continued', async () => {
    const g = given(t);
    await g.caseIn(DEMO.counsellorOujda, ['mhpss', 'legal_aid']);
    await g.caseIn(DEMO.counsellorOujda, ['mhpss']);
    const counsellor = await t.as(DEMO.counsellorOujda);
    await counsellor.get('/api/v1/cases?limit=1').expect(200);
    const s = await count(() => counsellor.get('/api/v1/cases?limit=1'), 200);
    expect(s).toHaveLength(2);
    expect(s.filter((q) => q.startsWith('INSERT INTO audit_event'))).toHaveLength(1);
    // Hand-written, not TypeORM's query builder (which writes `FROM "case_file" "c"`).
    expect(s.filter((q) => q.includes('FROM "case_file"'))).toHaveLength(0);
    const first = (await counsellor.get('/api/v1/cases?limit=1').expect(200)).body as { items: Array<{ id: string; openNeeds: string[] }>; nextCursor: string };
    const second = (await counsellor.get(`/api/v1/cases?limit=1&cursor=${first.nextCursor}`).expect(200)).body as { items: Array<{ id: string; openNeeds: string[] }> };
    expect(first.items[0]!.openNeeds).toEqual(['mhpss']);
    expect(second.items[0]!.openNeeds).toEqual(['mhpss', 'legal_aid']);
  });

  it('case search by name: the caller, then the cases found, their needs, facts, names and counsellors, and the audit rows, in one transaction', async () => {
    const g = given(t);
    await g.caseIn(DEMO.counsellorOujda, ['mhpss']);
    const counsellor = await t.as(DEMO.counsellorOujda);
    await counsellor.post('/api/v1/cases/search').send({ name: 'aminata' }).expect(200);
    const s = await count(() => counsellor.post('/api/v1/cases/search').send({ name: 'aminata' }), 200);
    // BEGIN, the cases, needs, facts, names, the counsellors' names (one statement however many), audit, COMMIT.
    expect(s.length).toBeLessThanOrEqual(9);
    expect(s.filter((q) => q.includes('FROM "case_file"') || q.includes('FROM "person_identity"'))).toHaveLength(0);
  });

  it('provider inbox: three statements whatever the page holds (the caller, the page, its services)', async () => {
    const g = given(t);
    await g.sentReferral();
    await g.sentReferral();
    const provider = await t.as(DEMO.providerPssOujda);
    const s = await count(() => provider.get('/api/v1/referrals?limit=50'), 200);
    expect(s).toHaveLength(3);
  });

  it('referral detail as its provider: the caller, then the referral in scope, its service, its history and the audit row of the shared values in one transaction', async () => {
    const g = given(t);
    const { referral } = await g.sentReferral();
    const provider = await t.as(DEMO.providerPssOujda);
    await provider.get(`/api/v1/referrals/${referral.id}`);
    const s = await count(() => provider.get(`/api/v1/referrals/${referral.id}`), 200);
    expect(s.length).toBeLessThanOrEqual(7);
    expect(s.filter((q) => q.startsWith('INSERT INTO audit_event'))).toHaveLength(1);
  });

  it('directory suggestions: one statement (the ranking with its cards), the ranking built once and prepared, the caller remembered', async () => {
    const counsellor = await t.as(DEMO.counsellorOujda);
    await counsellor.get('/api/v1/directory/suggestions?need=legal_aid&province=MA-OUJ');
    const s = await count(() => counsellor.get('/api/v1/directory/suggestions?need=legal_aid&province=MA-OUJ'), 200);
    expect(s).toHaveLength(1);
    // Hand-written, not TypeORM's query builder (which writes `FROM "service" "s"`).
    expect(s.filter((q) => q.includes('FROM "service"'))).toHaveLength(0);
  });

  it('referral create and send: the case with its needs in one read; written once as sent with its number and its two history rows in one statement; the e-mail and the audit rows in one statement before the commit', async () => {
    const g = given(t);
    const c = await g.caseIn(DEMO.counsellorOujda, ['mhpss']);
    await g.consent(DEMO.counsellorOujda, c.id, { categories: ['mhpss'], fields: ['age_band', 'sex'] });
    const target = await g.serviceAtLocation(DEMO.providerPssOujda, 'mhpss');
    const counsellor = await t.as(DEMO.counsellorOujda);
    const s = await count(
      () => counsellor.post('/api/v1/referrals').send({ caseId: c.id, needId: c.need('mhpss'), serviceAtLocationId: target.salId, priority: 'routine', sharedFields: ['age_band', 'sex'], send: true }),
      201,
    );
    expect(s.length).toBeLessThanOrEqual(9);
    expect(s.filter((q) => /INSERT INTO audit_event/.test(q))).toHaveLength(1);
    expect(s.filter((q) => /INSERT INTO referral_event/.test(q))).toHaveLength(1);
    expect(s.filter((q) => /INSERT INTO referral_event/.test(q) && /INSERT INTO referral AS/.test(q))).toHaveLength(1);
    expect(s.filter((q) => /^UPDATE\b/i.test(q))).toHaveLength(0);
    // The answer's history is what the command wrote, and the focal point's address came with the service.
    expect(s.filter((q) => /^SELECT (e\.\S+ AS \S+, )*.* FROM referral_event|^SELECT email, language FROM app_user/.test(q))).toHaveLength(0);
    // The audit rows and the e-mail are written last, together, just before the commit.
    expect(s.at(-2)).toMatch(/^WITH w0 AS \(INSERT INTO audit_event .*\) INSERT INTO outbox_message/);
    expect(s.filter((q) => /INSERT INTO outbox_message/.test(q))).toHaveLength(1);
    expect(s.filter((q) => /^SELECT .* FROM "referral" "Referral"/.test(q))).toHaveLength(0);
  });
  it('referral accept as its provider: the referral in scope; its UPDATE, history row, whole history back, the counsellor\'s address and the service\'s lock in one statement; the response time measured and written in one; the e-mail and the audit row in one', async () => {
    const g = given(t);
    const { referral } = await g.sentReferral();
    const { referral: other } = await g.sentReferral();
    const provider = await t.as(DEMO.providerPssOujda);
    await provider.post(`/api/v1/referrals/${other.id}/accept`).send({}).expect(200);
    const s = await count(() => provider.post(`/api/v1/referrals/${referral.id}/accept`).send({}), 200);
    // The caller, BEGIN, the referral, the step, the response time, the service, the audit row with the e-mail, COMMIT.
    expect(s.length).toBeLessThanOrEqual(8);
    expect(s.filter((q) => /percentile_cont/.test(q) && /INSERT INTO service_response_stats/.test(q))).toHaveLength(1);
    expect(s.filter((q) => /INSERT INTO referral_event/.test(q))).toHaveLength(1);
    expect(s.filter((q) => /UPDATE referral AS r/.test(q) && /INSERT INTO referral_event/.test(q) && /pg_advisory_xact_lock/.test(q) && /FROM referral_event e/.test(q) && /app_user/.test(q))).toHaveLength(1);
    expect(s.filter((q) => /pg_advisory_xact_lock/.test(q))).toHaveLength(1);
    expect(s.filter((q) => /INSERT INTO outbox_message/.test(q))).toHaveLength(1);
    // No query building, no re-read of the history or of the counsellor.
    expect(s.filter((q) => /"referral"|"service_response_stats"|^SELECT email, language FROM app_user|^SELECT .* FROM referral_event/.test(q))).toHaveLength(0);
    expect(s.at(-2)).toMatch(/^WITH w0 AS \(INSERT INTO audit_event .*\) INSERT INTO outbox_message/);
  });
});
