import { given } from '../referrals/given.js';
import { DEMO, type TestApp } from '../support/test-app.js';

/**
 * A second small world, for the referral indicators (REF-1..REF-5) and GBV-2, with answers
 * computed by hand. Referrals go through the real loop over the API (create, send, accept,
 * decline, start, complete, not-complete, cancel, re-refer); their moments are then moved to the
 * dates below (no API sets a past moment). Times are Africa/Casablanca (+01:00 outside Ramadan);
 * the period is 2025. Provider organisations: PSS = pss-oujda, HLT = health-oujda, LGB =
 * legal-berkane, HLB = health-berkane.
 *
 *   ref   person (sex, band)      unit  category                 to   sent               path                               answered (h)     delivered (days)
 *   F1    A  (f, 25-59)           OUJ   mhpss                    PSS  05-05 09:00        accept, start, complete            05-05 13:00 (4)  05-12 (7)
 *   F2    A                       OUJ   legal_aid                LGB  06-02 10:00        decline                            06-03 10:00 (not accepted)
 *   F3    B  (m, 25-59)           OUJ   mhpss                    PSS  06-10 08:00        accept, not-complete               06-11 08:00 (24)
 *   F4    B                       OUJ   health_care              HLT  07-01 09:00        sent, past its deadline (overdue)
 *   F5    C  (f, 0-17)            BRK   mhpss                    PSS  08-01 10:00        accept, cancel (acceptance stays)  08-01 12:00 (2)
 *   F6    C                       BRK   legal_aid                LGB  —                  draft, never sent (not counted)
 *   F7    R1 (f, 25-59) rape 06-10 OUJ   clinical_mgmt_of_rape    HLT  06-10 22:00 (46 h)  decline                            06-11 08:00 (not accepted)
 *   F7r   R1                      OUJ   clinical_mgmt_of_rape    HLB  06-11 09:00 (57 h)  re-referral of F7, sent (pending)
 *   F8    R2 (f, 25-59) rape 07-01 OUJ   clinical_mgmt_of_rape    HLT  07-04 10:00 (82 h)  accept, start, complete            07-04 16:00 (6)  07-06 (2)
 *   F9    R3 (f, 18-24) rape 08-01 OUJ   clinical_mgmt_of_rape    HLT  08-04 00:00 (72 h)  accept, start, complete            08-04 01:00 (1)  08-04 (0)
 *   F10   R4 (m, 25-59) rape 09-01 OUJ   mhpss (not clinical)     PSS  09-01 15:00 (15 h)  accept, start, complete            09-02 15:00 (24) 09-05 (4)
 *   F11   D  (m, 25-59)           OUJ   mhpss                    PSS  2026-01-01 00:30   accept (sent 2025-12-31 23:30 UTC: outside the period in local time)
 *   F12   R5 (f, 25-59) assault   OUJ   clinical_mgmt_of_rape    HLT  10-01 12:00 (12 h)  sent (the incident is not a rape)
 *   (hours after the start of the incident day, for GBV-2)
 *
 * Sent in 2025: F1 F2 F3 F4 F5 F7 F7r F8 F9 F10 F12 = 11 (OUJ 10, BRK 1; female 8, male 3).
 * Accepted: F1 F3 F5 F8 F9 F10 = 6/11 = 54.5 %  (female F1 F5 F8 F9 = 4/8 = 50 %, male 2/3 = 66.7 %).
 * Closed with an outcome: F1 F3 F8 F9 F10 = 5/11 = 45.5 %  (female 3/8 = 37.5 %, male 2/3 = 66.7 %).
 * Hours to acceptance 1 2 4 6 24 24 → median 5  (female 1 2 4 6 → 3, male 24 24 → 24).
 * Days to service 0 2 4 7 → median 3  (female 0 2 7 → 2, male 4 → 4).
 * GBV-2: R1 (twice within 72 h, counted once) and R3 (exactly 72 h) = 2 (18-24: 1, 25-59: 1);
 *   not R2 (82 h), not R4 (mhpss is not clinical care), not R5 (not a rape).
 * PSS provider of Oujda sees F1 F3 F5 F10 only: 4 sent, 100 % accepted, 75 % closed, median 14 h
 *   (2 4 24 24), median 5.5 days (4 7).
 */
export const REF_EXPECTED = {
  'REF-1': 11,
  'REF-2': 54.5,
  'REF-3': 45.5,
  'REF-4': 5,
  'REF-5': 3,
  'GBV-2': 2,
  bySex: {
    'REF-1': { female: 8, male: 3 },
    'REF-2': { female: 50, male: 66.7 },
    'REF-3': { female: 37.5, male: 66.7 },
    'REF-4': { female: 3, male: 24 },
    'REF-5': { female: 2, male: 4 },
  },
  ref1ByUnit: { OUJ: 10, BRK: 1 },
  gbv2ByAge: { '0-17': 0, '18-24': 1, '25-59': 1, '60+': 0 },
  providerPss: { 'REF-1': 4, 'REF-2': 100, 'REF-3': 75, 'REF-4': 14, 'REF-5': 5.5 },
} as const;

export const REF_PERIOD = 'from=2025-01-01&to=2025-12-31';

export interface ReferralWorld {
  units: { OUJ: string; BRK: string };
  regions: { oriental: string; souss: string };
  /** A coordinator of Souss-Massa (made here; password as the demo accounts'). */
  soussCoordinator: string;
}

type Step = [transition: string, body?: Record<string, string>, by?: 'provider' | 'unit'];
interface Moments {
  sent: string;
  answered?: string;
  delivered?: string;
}

const CMR = 'clinical_management_of_rape';

export async function buildReferralWorld(t: TestApp): Promise<ReferralWorld> {
  const g = given(t);
  const one = async (sql: string, p: unknown[] = []) => (await t.db.query(sql, p)).rows[0];
  const units = {
    OUJ: (await one(`SELECT id FROM organisation WHERE code = 'OUJ'`)).id as string,
    BRK: (await one(`SELECT id FROM organisation WHERE code = 'BRK'`)).id as string,
  };
  const regions = {
    oriental: (await one(`SELECT id FROM place WHERE code = 'MA-02'`)).id as string,
    souss: (await one(`SELECT id FROM place WHERE code = 'MA-09'`)).id as string,
  };
  const target = async (orgKey: 'PSS' | 'HLT' | 'LGB' | 'HLB', category: string): Promise<{ salId: string; organisationId: string }> => {
    if (orgKey === 'HLB') {
      const r = await one(
        `SELECT sal.id AS "salId", s.organisation_id AS "organisationId" FROM service_at_location sal JOIN service s ON s.id = sal.service_id
          JOIN organisation o ON o.id = s.organisation_id JOIN place p ON p.id = o.province_id
         WHERE p.code = 'MA-BER' AND $1 = ANY(s.categories) AND s.status = 'active' ORDER BY s.created_at, sal.id LIMIT 1`,
        [category],
      );
      if (!r) throw new Error('no clinical care service in Berkane');
      return r;
    }
    const email = { PSS: DEMO.providerPssOujda, HLT: DEMO.providerHealthOujda, LGB: DEMO.providerLegalBerkane }[orgKey];
    return g.serviceAtLocation(email, category);
  };
  const providerOf = { PSS: DEMO.providerPssOujda, HLT: DEMO.providerHealthOujda, LGB: DEMO.providerLegalBerkane, HLB: '' };

  const caseOf = async (counsellor: string, needs: string[], person: Record<string, unknown>, incident?: [type: string, date: string]) => {
    const c = await g.caseIn(counsellor, needs, person);
    if (incident) {
      const i = await (await t.as(counsellor)).post(`/api/v1/cases/${c.id}/incidents`).send({ type: incident[0], placeType: 'street', incidentDate: incident[1] });
      if (i.status !== 201) throw new Error(`incident: ${i.status} ${JSON.stringify(i.body)}`);
    }
    return { ...c, counsellor };
  };
  type Case = Awaited<ReturnType<typeof caseOf>>;

  /** Moves a referral (and its delivery) to the fixture's moments. */
  const date = async (id: string, m: Moments) => {
    await t.db.query(
      `UPDATE referral SET sent_at = $2, response_due_at = $2::timestamptz + interval '48 hours', answered_at = $3::timestamptz,
         closed_at = CASE WHEN closed_at IS NULL THEN NULL ELSE COALESCE($3::timestamptz, $2::timestamptz) + interval '1 hour' END WHERE id = $1`,
      [id, m.sent, m.answered ?? null],
    );
    if (m.delivered) {
      const d = await t.db.query(`UPDATE delivery SET delivered_on = $2 WHERE referral_id = $1`, [id, m.delivered]);
      if (d.rowCount !== 1) throw new Error(`no delivery for referral ${id}`);
    }
  };
  const step = async (id: string, c: Case, orgKey: keyof typeof providerOf, [transition, body = {}, by = 'provider']: Step) => {
    const who = by === 'unit' ? c.counsellor : providerOf[orgKey];
    const res = await (await t.as(who)).post(`/api/v1/referrals/${id}/${transition}`).send(body);
    if (res.status !== 200) throw new Error(`${transition}: ${res.status} ${JSON.stringify(res.body)}`);
  };
  const refer = async (c: Case, category: string, orgKey: keyof typeof providerOf, steps: Step[], m: Moments | null): Promise<string> => {
    const to = await target(orgKey, category);
    await g.consent(c.counsellor, c.id, { categories: [category], fields: ['age_band', 'sex'] });
    const res = await (await t.as(c.counsellor))
      .post('/api/v1/referrals')
      .send({ caseId: c.id, needId: c.need(category), serviceAtLocationId: to.salId, priority: 'urgent', sharedFields: ['age_band', 'sex'], send: m !== null });
    if (res.status !== 201) throw new Error(`referral: ${res.status} ${JSON.stringify(res.body)}`);
    const id = res.body.id as string;
    for (const s of steps) await step(id, c, orgKey, s);
    if (m) await date(id, m);
    return id;
  };
  const complete: Step[] = [['accept'], ['start'], ['complete', { outcomeCode: 'service_provided' }]];

  const O = DEMO.counsellorOujda;
  const adult = (sex: string, birthDate = '1990-04-04') => ({ sex, birthDate });
  const A = await caseOf(O, ['mhpss', 'legal_aid'], adult('female'));
  await refer(A, 'mhpss', 'PSS', complete, { sent: '2025-05-05T09:00+01:00', answered: '2025-05-05T13:00+01:00', delivered: '2025-05-12' });
  await refer(A, 'legal_aid', 'LGB', [['decline', { reasonCode: 'no_capacity' }]], { sent: '2025-06-02T10:00+01:00', answered: '2025-06-03T10:00+01:00' });

  const B = await caseOf(O, ['mhpss', 'health_care'], adult('male', '1985-02-02'));
  await refer(B, 'mhpss', 'PSS', [['accept'], ['not-complete', { reasonCode: 'no_show' }]], { sent: '2025-06-10T08:00+01:00', answered: '2025-06-11T08:00+01:00' });
  await refer(B, 'health_care', 'HLT', [], { sent: '2025-07-01T09:00+01:00' });

  const C = await caseOf(DEMO.counsellorBerkane, ['mhpss', 'legal_aid'], { sex: 'female', birthDate: '2008-05-05', nationality: 'MA', populationGroup: 'host_community' });
  await refer(C, 'mhpss', 'PSS', [['accept'], ['cancel', { reasonCode: 'need_met' }, 'unit']], { sent: '2025-08-01T10:00+01:00', answered: '2025-08-01T12:00+01:00' });
  await refer(C, 'legal_aid', 'LGB', [], null);

  const R1 = await caseOf(O, [CMR], adult('female', '2000-01-01'), ['rape', '2025-06-10']);
  const f7 = await refer(R1, CMR, 'HLT', [['decline', { reasonCode: 'no_capacity' }]], { sent: '2025-06-10T22:00+01:00', answered: '2025-06-11T08:00+01:00' });
  const hlb = await target('HLB', CMR);
  const rr = await (await t.as(O)).post(`/api/v1/referrals/${f7}/re-refer`).send({ serviceAtLocationId: hlb.salId });
  if (rr.status !== 201) throw new Error(`re-refer: ${rr.status} ${JSON.stringify(rr.body)}`);
  await date(rr.body.id, { sent: '2025-06-11T09:00+01:00' });

  const R2 = await caseOf(O, [CMR], adult('female', '1995-01-01'), ['rape', '2025-07-01']);
  await refer(R2, CMR, 'HLT', complete, { sent: '2025-07-04T10:00+01:00', answered: '2025-07-04T16:00+01:00', delivered: '2025-07-06' });
  const R3 = await caseOf(O, [CMR], adult('female', '2005-06-01'), ['rape', '2025-08-01']);
  await refer(R3, CMR, 'HLT', complete, { sent: '2025-08-04T00:00+01:00', answered: '2025-08-04T01:00+01:00', delivered: '2025-08-04' });
  const R4 = await caseOf(O, ['mhpss'], adult('male'), ['rape', '2025-09-01']);
  await refer(R4, 'mhpss', 'PSS', complete, { sent: '2025-09-01T15:00+01:00', answered: '2025-09-02T15:00+01:00', delivered: '2025-09-05' });
  const D = await caseOf(O, ['mhpss'], adult('male'));
  await refer(D, 'mhpss', 'PSS', [['accept']], { sent: '2026-01-01T00:30+01:00', answered: '2026-01-01T02:00+01:00' });
  const R5 = await caseOf(O, [CMR], adult('female'), ['physical_assault', '2025-10-01']);
  await refer(R5, CMR, 'HLT', [], { sent: '2025-10-01T12:00+01:00' });

  // A coordinator of Souss-Massa: an account like Oriental's coordinator, in an office of that region.
  const coord = await one(`SELECT u.*, o.type AS org_type FROM app_user u JOIN organisation o ON o.id = u.organisation_id WHERE u.email = $1`, [DEMO.coordinator]);
  const office = (
    await one(`INSERT INTO organisation (name, code, type, region_id) VALUES ('Coordination Souss-Massa (test)', 'SMC', $1, $2) RETURNING id`, [coord.org_type, regions.souss])
  ).id;
  const soussCoordinator = 'coordinator.souss@tawjih.test';
  await t.db.query(
    `INSERT INTO app_user (email, display_name, password_hash, organisation_id, roles, language, status)
     SELECT $1, 'Coordination Souss', password_hash, $2, roles, language, status FROM app_user WHERE email = $3`,
    [soussCoordinator, office, DEMO.coordinator],
  );
  return { units, regions, soussCoordinator };
}
