import { createTestApp, DEMO, type TestApp } from '../support/test-app.js';
import { signIn } from './web-support.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const year = new Date().getUTCFullYear();
const period = `from=${year}-01-01&to=${year}-12-31`;
/** The escaped total shown under an indicator's heading on the page. */
const totalOf = (html: string, code: string) => {
  const section = html.slice(html.indexOf(`id="ind-${code}"`));
  return /<strong>[^:<]*: <span class="[^"]*">([^<]*)<\/span><\/strong>/.exec(section)?.[1];
};
const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

describe('reports page (coordinators, analysts)', () => {
  it('shows the coordinator the Oriental figures the API gives, a legend of withheld cells and charts', async () => {
    const { rows: oriental } = await t.db.query(`SELECT id FROM place WHERE level = 'region' AND id = (SELECT o.region_id FROM app_user u JOIN organisation o ON o.id = u.organisation_id WHERE u.email = $1)`, [DEMO.coordinator]);
    expect(oriental).toHaveLength(1);
    const coordinator = await signIn(t, DEMO.coordinator);
    const page = await coordinator.get(`/reports?${period}&by=sex`).expect(200);
    // Only the coordinator's region is offered, selected or not.
    const regionOptions = [...page.text.matchAll(/<select id="r-region"[\s\S]*?<\/select>/g)][0]![0];
    expect([...regionOptions.matchAll(/<option value="([0-9a-f-]{36})"/g)].map((m) => m[1])).toEqual([oriental[0].id]);

    const api = await (await t.as(DEMO.coordinator)).get(`/api/v1/reports/indicators?${period}&by=sex`).expect(200);
    const indicators = api.body.indicators as Array<{ code: string; total: { display: string } }>;
    expect(indicators.length).toBeGreaterThan(0);
    for (const ind of indicators) expect(totalOf(page.text, ind.code)).toBe(escapeHtml(ind.total.display));
    expect(page.text).toContain('Lecture des tableaux');
    expect(page.text).toContain('<div class="chart" role="img"');
    expect(page.text).not.toMatch(/<svg[^>]*style=|<script(?! src)/);
    // Its one region is the report's region: the regional PDF and DHIS2 are offered without choosing it again.
    expect(page.text).toContain(`/reports/regional.pdf?region=${oriental[0].id}`);
    expect(page.text).toContain(`/reports/export?`);
    expect(page.text).toContain('format=csv');
  });

  it('marks withheld cells with <n and x and the screen-reader word', async () => {
    const analyst = await signIn(t, DEMO.analyst);
    const page = await analyst.get(`/reports?${period}&by=nationality_group`).expect(200);
    // The analyst's account is in English; the demo data has both kinds of withheld cell.
    expect(page.text).toMatch(/<td class="num suppressed">&lt;5<span class="sr-only"> \(withheld\)<\/span><\/td>/);
    expect(page.text).toMatch(/<td class="num suppressed">x<span class="sr-only"> \(withheld\)<\/span><\/td>/);
    expect(page.text).toContain('How to read the tables');
  });

  it('refuses a counsellor (no report rights) and answers 404 for a region outside the coordinator’s scope', async () => {
    const counsellor = await signIn(t, DEMO.counsellorOujda);
    await counsellor.get('/reports').expect(403);
    await counsellor.get(`/reports/export?${period}&format=csv`).expect(403);
    const { rows } = await t.db.query(`SELECT id FROM place WHERE level = 'region' AND id <> (SELECT o.region_id FROM app_user u JOIN organisation o ON o.id = u.organisation_id WHERE u.email = $1) LIMIT 1`, [DEMO.coordinator]);
    const coordinator = await signIn(t, DEMO.coordinator);
    await coordinator.get(`/reports?${period}&region=${rows[0].id}`).expect(404);
  });

  it('streams the CSV export with the session cookie, the same as the API, and never a case code', async () => {
    const coordinator = await signIn(t, DEMO.coordinator);
    const csv = await coordinator.get(`/reports/export?${period}&by=sex&format=csv`).buffer(true).expect(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.headers['content-disposition']).toContain(`tawjih-indicators-${year}-01-01-${year}-12-31.csv`);
    const api = await (await t.as(DEMO.coordinator)).get(`/api/v1/reports/indicators/export?${period}&by=sex&format=csv`).buffer(true).expect(200);
    expect(csv.text).toBe(api.text);
    expect(csv.text.split('\n').length).toBeGreaterThan(2);
    const { rows: codes } = await t.db.query(`SELECT code FROM case_file`);
    expect(codes.length).toBeGreaterThan(0);
    for (const { code } of codes) expect(csv.text).not.toContain(code);
    // Without a session the page export is not served.
    const anonymous = await t.http().get(`/reports/export?${period}&format=csv`);
    expect([302, 303, 401]).toContain(anonymous.status);
  });

  it('keeps a breakdown of two dimensions, and a period by quarter, from one step to the next', async () => {
    const coordinator = await signIn(t, DEMO.coordinator);
    const selected = (html: string, id: string) => /<option value="([^"]*)" selected>/.exec(new RegExp(`<select id="${id}"[\\s\\S]*?</select>`).exec(html)?.[0] ?? '')?.[1] ?? '';
    // A shared link with two dimensions, and the form as the browser sends it (`by` once per select): the
    // two selects show both, so filtering again (other dates) keeps the breakdown instead of dropping it.
    for (const by of ['by=sex,age_band', 'by=sex&by=age_band', 'by=sex&by=&by=age_band']) {
      const page = await coordinator.get(`/reports?${period}&${by}`).expect(200);
      expect([selected(page.text, 'r-by'), selected(page.text, 'r-by2')]).toEqual(['sex', 'age_band']);
      expect(page.text).toMatch(/<th scope="col">Sexe<\/th><th scope="col">Tranche d’âge<\/th>/);
      expect(page.text).toMatch(/href="\/reports\/export\?[^"]*by=sex%2Cage_band&amp;[^"]*format=csv"/);
      expect(page.text).not.toContain('id="r-interval"');
    }
    // The same dimension picked in both selects is one breakdown, not an error.
    const twice = await coordinator.get(`/reports?${period}&by=sex&by=sex`).expect(200);
    expect([selected(twice.text, 'r-by'), selected(twice.text, 'r-by2')]).toEqual(['sex', '']);
    // By period: the interval is offered, kept, and the periods are named in words.
    const months = await coordinator.get(`/reports?${period}&by=period&indicators=PSS-1`).expect(200);
    expect(selected(months.text, 'r-interval')).toBe('month');
    expect(months.text).toContain(`<td>janvier ${year}</td>`);
    const quarters = await coordinator.get(`/reports?${period}&by=period&interval=quarter&indicators=PSS-1`).expect(200);
    expect(selected(quarters.text, 'r-interval')).toBe('quarter');
    expect([...quarters.text.matchAll(/<td>(T[1-4] \d{4})<\/td>/g)].map((m) => m[1])).toEqual([1, 2, 3, 4].map((q) => `T${q} ${year}`));
    expect(/href="(\/reports\/export\?[^"]*format=csv)"/.exec(quarters.text)?.[1]).toContain('interval=quarter');
    // An interval without a breakdown by period means nothing: not kept, not offered.
    const bySex = await coordinator.get(`/reports?${period}&by=sex&interval=quarter`).expect(200);
    const exportLink = (html: string) => /href="(\/reports\/export\?[^"]*format=csv)"/.exec(html)?.[1];
    expect(exportLink(bySex.text)).toMatch(/by=sex&amp;/);
    expect(exportLink(bySex.text)).not.toContain('interval');
    expect(bySex.text).not.toContain('id="r-interval"');
  });

  it('puts a reports card on the coordinator’s dashboard, not on the counsellor’s', async () => {
    const coordinator = await signIn(t, DEMO.coordinator);
    expect((await coordinator.get('/dashboard').expect(200)).text).toContain('href="/reports"');
    const counsellor = await signIn(t, DEMO.counsellorOujda);
    expect((await counsellor.get('/dashboard').expect(200)).text).not.toContain('href="/reports"');
  });
});
