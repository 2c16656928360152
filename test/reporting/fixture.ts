import { DEMO, type TestApp } from '../support/test-app.js';

/**
 * A small world with hand-computed indicator answers, all in 2024 (the demo data lives in 2026).
 * Units: Oujda (OUJ) and Berkane (BRK) in Oriental, plus a unit in Souss-Massa made here.
 *
 *   person  unit     sex     born / band        nationality  group                 what happened in 2024
 *   P1      Oujda    female  1990-06-01 (25-59) CM           migrant               mhpss Feb + May (counted once), job_interview
 *   P2      Oujda    female  2010-01-01 (0-17)  MA           host_community        mhpss Mar
 *   P3      Oujda    male    1985-02-02 (25-59) SN           migrant               mhpss Mar, career_counselling, internship, business_opened
 *   P4      Berkane  female  2003-03-03 (18-24) CI           refugee_asylum_seeker mhpss Apr, career_counselling ×2 (one person)
 *   P5      Berkane  male    1960-01-01 (60+)   MA           moroccan_returnee     mhpss Jun
 *   P6      Oujda    female  1995-05-05 (25-59) NG           migrant               mhpss Jul; incident (physical assault)
 *   P7      Oujda    female  band 25-59         —            —                     mhpss Aug, clinical care Aug; incident (rape)
 *   P8      Oujda    male    1992-09-09 (25-59) ML           migrant               legal aid; incident; livelihood: counselling, start-up,
 *                                                                                    job_interview ×2, self-entrepreneur
 *   P9      Oujda    female  1999-09-09         SN           migrant               mhpss on 2023-12-31 (outside the period)
 *   S1      Agadir   female  1990-01-01         CM           migrant               mhpss ×6 persons in Souss-Massa (S1..S6)
 */
export const EXPECTED = {
  'PSS-1': 7,
  pssBySex: { female: 5, male: 2, other: 0, unknown: 0 },
  pssByAge: { '0-17': 1, '18-24': 1, '25-59': 4, '60+': 1 },
  pssBySexAge: { 'female|0-17': 1, 'female|18-24': 1, 'female|25-59': 3, 'male|25-59': 1, 'male|60+': 1 },
  pssByUnit: { OUJ: 5, BRK: 2 },
  pssByMonth: { '2024-01': 0, '2024-02': 1, '2024-03': 2, '2024-04': 1, '2024-05': 1, '2024-06': 1, '2024-07': 1, '2024-08': 1, '2024-09': 0 },
  pssByNationality: { west_central_africa: 4, moroccan: 2, unknown: 1, east_horn_africa: 0, north_africa_middle_east: 0, other: 0 },
  pssByPopulation: { migrant: 3, host_community: 1, refugee_asylum_seeker: 1, moroccan_returnee: 1, unknown: 1 },
  'GBV-1': 2,
  'LIV-1': 3,
  'LIV-2': 1,
  'LIV-3': 1,
  'LIV-4': 1,
  'LIV-5': 3,
  'LIV-6': 1,
  /** The same, in Souss-Massa only. */
  soussPss: 6,
} as const;

export const PERIOD = 'from=2024-01-01&to=2024-12-31';

/** Identifying values the fixture puts in, that no report or export may ever contain. */
export interface Secrets {
  names: string[];
  phones: string[];
  caseCodes: string[];
  personIds: string[];
}

export interface World {
  units: { OUJ: string; BRK: string; AGA: string };
  regions: { oriental: string; souss: string };
  secrets: Secrets;
}

type Delivery = [category: string, deliveredOn: string, outcome: string];

export async function buildWorld(t: TestApp): Promise<World> {
  const one = async (sql: string, p: unknown[] = []) => (await t.db.query(sql, p)).rows[0];
  const units = {
    OUJ: (await one(`SELECT id FROM organisation WHERE code = 'OUJ'`)).id as string,
    BRK: (await one(`SELECT id FROM organisation WHERE code = 'BRK'`)).id as string,
    AGA: '',
  };
  const regions = {
    oriental: (await one(`SELECT id FROM place WHERE code = 'MA-02'`)).id as string,
    souss: (await one(`SELECT id FROM place WHERE code = 'MA-09'`)).id as string,
  };
  const secrets: Secrets = { names: [], phones: [], caseCodes: [], personIds: [] };

  const person = async (
    email: string,
    tag: string,
    person: Record<string, unknown>,
    deliveries: Delivery[],
    incident?: string,
  ): Promise<void> => {
    const agent = await t.as(email);
    const givenName = `Canari${tag}`;
    const phone = `+2126001100${tag.replace(/\D/g, '').padStart(2, '0')}`;
    const res = await agent.post('/api/v1/cases').send({ person: { givenName, familyName: `Famille${tag}`, phone, ...person }, needs: ['mhpss'] });
    if (res.status !== 201) throw new Error(`case ${tag}: ${res.status} ${JSON.stringify(res.body)}`);
    const caseId = res.body.case.id as string;
    secrets.names.push(givenName, `Famille${tag}`);
    secrets.phones.push(phone);
    secrets.caseCodes.push(res.body.case.code);
    secrets.personIds.push(res.body.case.personId);
    // Needs are dated by their creation: move them to the fixture's year (no API sets that date).
    await t.db.query(`UPDATE case_need SET created_at = $2 WHERE case_id = $1`, [caseId, `${deliveries[0]?.[1] ?? '2024-01-15'}T10:00:00Z`]);
    for (const [category, deliveredOn, outcome] of deliveries) {
      const d = await agent.post(`/api/v1/cases/${caseId}/deliveries`).send({ category, deliveredOn, outcome });
      if (d.status !== 201) throw new Error(`delivery ${tag}: ${d.status} ${JSON.stringify(d.body)}`);
    }
    if (incident) {
      const i = await agent.post(`/api/v1/cases/${caseId}/incidents`).send({ type: incident, placeType: 'street', incidentDate: '2024-07-30' });
      if (i.status !== 201) throw new Error(`incident ${tag}: ${i.status} ${JSON.stringify(i.body)}`);
    }
  };

  const O = DEMO.counsellorOujda;
  const B = DEMO.counsellorBerkane;
  await person(O, '1', { sex: 'female', birthDate: '1990-06-01', nationality: 'CM', populationGroup: 'migrant' }, [
    ['mhpss', '2024-02-10', 'service_provided'],
    ['mhpss', '2024-05-10', 'service_provided'],
    ['employment_business', '2024-06-06', 'job_interview'],
  ]);
  await person(O, '2', { sex: 'female', birthDate: '2010-01-01', nationality: 'MA', populationGroup: 'host_community' }, [['mhpss', '2024-03-01', 'service_provided']]);
  await person(O, '3', { sex: 'male', birthDate: '1985-02-02', nationality: 'SN', populationGroup: 'migrant' }, [
    ['mhpss', '2024-03-15', 'service_provided'],
    ['employment_business', '2024-04-04', 'career_counselling'],
    ['employment_business', '2024-05-05', 'internship'],
    ['employment_business', '2024-12-01', 'business_opened'],
  ]);
  await person(B, '4', { sex: 'female', birthDate: '2003-03-03', nationality: 'CI', populationGroup: 'refugee_asylum_seeker' }, [
    ['mhpss', '2024-04-01', 'service_provided'],
    ['employment_business', '2024-02-02', 'career_counselling'],
    ['employment_business', '2024-03-03', 'career_counselling'],
  ]);
  await person(B, '5', { sex: 'male', birthDate: '1960-01-01', nationality: 'MA', populationGroup: 'moroccan_returnee' }, [['mhpss', '2024-06-30', 'service_provided']]);
  await person(O, '6', { sex: 'female', birthDate: '1995-05-05', nationality: 'NG', populationGroup: 'migrant' }, [['mhpss', '2024-07-07', 'service_provided']], 'physical_assault');
  await person(
    O,
    '7',
    { sex: 'female', ageBand: '25-59' },
    [
      ['clinical_management_of_rape', '2024-08-01', 'service_provided'],
      ['mhpss', '2024-08-08', 'service_provided'],
    ],
    'rape',
  );
  await person(
    O,
    '8',
    { sex: 'male', birthDate: '1992-09-09', nationality: 'ML', populationGroup: 'migrant' },
    [
      ['legal_aid', '2024-08-20', 'service_provided'],
      ['employment_business', '2024-09-01', 'career_counselling'],
      ['employment_business', '2024-09-15', 'business_startup_support'],
      ['employment_business', '2024-10-01', 'job_interview'],
      ['employment_business', '2024-10-20', 'job_interview'],
      ['employment_business', '2024-11-01', 'self_entrepreneur_registered'],
    ],
    'psychological_abuse',
  );
  await person(O, '9', { sex: 'female', birthDate: '1999-09-09', nationality: 'SN', populationGroup: 'migrant' }, [['mhpss', '2023-12-31', 'service_provided']]);

  // Souss-Massa has no demo unit: one is made here, with six persons entered directly (no API
  // account exists there). They must never reach Oriental's coordinator.
  const agadir = (await one(`SELECT id FROM place WHERE code = 'MA-AGD'`)).id as string;
  units.AGA = (
    await one(
      `INSERT INTO organisation (name, code, type, region_id, province_id) VALUES ('Unité d''écoute Agadir (test)', 'AGA', 'counselling_unit', $1, $2) RETURNING id`,
      [regions.souss, agadir],
    )
  ).id;
  const someone = (await one(`SELECT id FROM app_user WHERE email = $1`, [DEMO.admin])).id;
  for (let i = 1; i <= EXPECTED.soussPss; i++) {
    const p = (await one(`INSERT INTO person (unit_id, sex, birth_date, nationality, population_group) VALUES ($1, 'female', '1990-01-01', 'CM', 'migrant') RETURNING id`, [units.AGA])).id;
    const c = (await one(`INSERT INTO case_file (code, unit_id, person_id, assigned_counsellor_id) VALUES ($1, $2, $3, $4) RETURNING id`, [`AGA-2024-0000${i}`, units.AGA, p, someone])).id;
    await t.db.query(
      `INSERT INTO delivery (person_id, case_id, unit_id, category, provider_organisation_id, delivered_on, outcome) VALUES ($1, $2, $3, 'mhpss', $3, '2024-05-05', 'service_provided')`,
      [p, c, units.AGA],
    );
    secrets.caseCodes.push(`AGA-2024-0000${i}`);
  }
  return { units, regions, secrets };
}
