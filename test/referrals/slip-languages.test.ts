import { SeedService } from '../../src/seed/seed.service.js';
import { binary, pdfText } from '../reporting/support.js';
import { createTestApp, DEMO, type TestApp } from '../support/test-app.js';
import { signIn } from '../web/web-support.js';
import { given } from './given.js';

/**
 * The wizard and the slip say where to go in the person's language (issue #14): the demo psychosocial centre of
 * Oujda holds its name, street and city in Arabic beside the French; an Arabic slip prints those,
 * a French one the French, and where no Arabic is held the Arabic slip falls back to the French.
 */
let t: TestApp;
let referral: { id: string; reference: string };
let organisationId: string;
let serviceId: string;
let caseId: string;

const ORG_FR = 'Centre psychosocial associatif, Oujda (démo)';
const ORG_AR = 'المركز الجمعوي للدعم النفسي والاجتماعي، وجدة (تجريبي)';
const LOCATION_FR = 'Centre psychosocial';
const LOCATION_AR = 'المركز النفسي والاجتماعي';
// The service the referral goes to (demo 'oujda-pss-individual'), named in both.
const SERVICE_FR = 'Soutien psychosocial individuel';
const SERVICE_AR = 'الدعم النفسي والاجتماعي الفردي';

beforeAll(async () => {
  t = await createTestApp();
  const sent = await given(t).sentReferral({ priority: 'routine' });
  referral = sent.referral;
  organisationId = sent.target.organisationId;
  serviceId = sent.target.serviceId;
  caseId = sent.case.id;
});
afterAll(() => t.close());

/** The slip itself (the page around it names the counsellor's own unit). */
async function slipPage(language: string): Promise<string> {
  const counsellor = await signIn(t, DEMO.counsellorOujda);
  const html = (await counsellor.get(`/referrals/${referral.id}/slip?language=${language}`).expect(200)).text;
  const slip = /<article class="slip"[\s\S]*?<\/article>/.exec(html);
  if (!slip) throw new Error('no slip on the page');
  return slip[0];
}

/** As pdftotext gives Arabic back: the lam-alef ligature (لا) comes out as alef-lam (ال). */
const extracted = (arabic: string) => arabic.replace(/لا/g, 'ال');

async function slipPdf(language: string): Promise<string | null> {
  const counsellor = await signIn(t, DEMO.counsellorOujda);
  const res = await counsellor.get(`/referrals/${referral.id}/slip.pdf?language=${language}&size=A5`).buffer(true).parse(binary).expect(200);
  return pdfText(res.body as Buffer);
}

describe('the referral wizard in Arabic', () => {
  it('names each service’s organisation and city in Arabic', async () => {
    const c = await given(t).caseIn(DEMO.counsellorOujda, ['mhpss']);
    const counsellor = await signIn(t, DEMO.counsellorOujda);
    const ar = (await counsellor.get(`/cases/${c.id}/refer?need=${c.need('mhpss')}&lang=ar`).expect(200)).text;
    expect(ar).toContain(ORG_AR);
    expect(ar).toContain('<p class="where">وجدة');
    expect(ar).not.toContain(ORG_FR);
    // The service itself, named in Arabic on its card.
    expect(ar).toContain(`<h3>${SERVICE_AR}</h3>`);
    expect(ar).not.toContain(SERVICE_FR);
    const fr = (await counsellor.get(`/cases/${c.id}/refer?need=${c.need('mhpss')}&lang=fr`).expect(200)).text;
    expect(fr).toContain(ORG_FR);
    expect(fr).toContain('<p class="where">Oujda');
    expect(fr).toContain(`<h3>${SERVICE_FR}</h3>`);
  });
});

describe('the referral’s pages name the service in the page’s language', () => {
  it('for the counsellor (referral, list, case page) and the provider (referral, inbox), even when the profile’s language is another', async () => {
    const counsellor = await signIn(t, DEMO.counsellorOujda);
    const provider = await signIn(t, DEMO.providerPssOujda);
    const pages: Array<[typeof counsellor, string]> = [
      [counsellor, `/referrals/${referral.id}`],
      [counsellor, '/referrals'],
      [counsellor, `/cases/${caseId}`],
      [provider, `/referrals/${referral.id}`],
      [provider, '/referrals'],
    ];
    for (const [agent, path] of pages) {
      const sep = path.includes('?') ? '&' : '?';
      const ar = (await agent.get(`${path}${sep}lang=ar`).expect(200)).text;
      expect({ path, ar: ar.includes(SERVICE_AR), fr: ar.includes(SERVICE_FR) }).toEqual({ path, ar: true, fr: false });
      const fr = (await agent.get(`${path}${sep}lang=fr`).expect(200)).text;
      expect({ path, ar: fr.includes(SERVICE_AR), fr: fr.includes(SERVICE_FR) }).toEqual({ path, ar: false, fr: true });
    }
  });
});

describe('the referral slip in the person’s language', () => {
  it('prints the organisation’s name, the place, the street and the city in Arabic, and no French street name', async () => {
    const html = await slipPage('ar');
    for (const text of [SERVICE_AR, ORG_AR, LOCATION_AR, 'شارع مراكش', '60000 وجدة']) expect(html).toContain(text);
    for (const text of [SERVICE_FR, ORG_FR, LOCATION_FR, 'Rue de Marrakech', 'Oujda (démo)']) expect(html).not.toContain(text);
  });

  it('prints them in the Arabic PDF too', async () => {
    const text = await slipPdf('ar');
    if (text === null) return;
    expect(text).toContain(extracted(SERVICE_AR));
    expect(text).not.toContain(SERVICE_FR);
    expect(text).toContain('شارع مراكش');
    expect(text).not.toContain('Rue de Marrakech');
    expect(text).not.toContain('Centre psychosocial');
  });

  it('keeps the French on a French slip (and on an English one: no English is held)', async () => {
    for (const language of ['fr', 'en']) {
      const html = await slipPage(language);
      for (const text of [ORG_FR, LOCATION_FR, 'Rue de Marrakech', '60000 Oujda']) expect(html).toContain(text);
      for (const text of [ORG_AR, 'شارع مراكش']) expect(html).not.toContain(text);
    }
    expect(await slipPage('fr')).toContain(SERVICE_FR);
    expect(await slipPage('en')).toContain('Individual psychosocial support');
    const pdf = await slipPdf('fr');
    if (pdf !== null) for (const text of ['Rue de Marrakech', SERVICE_FR]) expect(pdf).toContain(text);
  });

  it('falls back to the French where the directory holds no Arabic', async () => {
    await t.db.query(`UPDATE organisation SET name_ar = NULL WHERE id = $1`, [organisationId]);
    await t.db.query(`UPDATE location SET address_1_ar = NULL, city_ar = NULL WHERE organisation_id = $1`, [organisationId]);
    await t.db.query(`UPDATE service SET name_ar = NULL WHERE id = $1`, [serviceId]);
    const html = await slipPage('ar');
    for (const text of [SERVICE_FR, ORG_FR, 'Rue de Marrakech', '60000 Oujda', LOCATION_AR]) expect(html).toContain(text);
    for (const text of [SERVICE_AR, ORG_AR]) expect(html).not.toContain(text);
    const pdf = await slipPdf('ar');
    if (pdf !== null) expect(pdf).toContain(SERVICE_FR);
  });

  it('gets the Arabic back when the seed runs again on a demo seeded without it', async () => {
    await t.db.query(`UPDATE location SET name_ar = NULL WHERE organisation_id = $1`, [organisationId]);
    await t.db.query(`UPDATE service SET description_ar = NULL WHERE id = $1`, [serviceId]);
    await t.app.get(SeedService).run({ demo: true });
    const html = await slipPage('ar');
    for (const text of [SERVICE_AR, ORG_AR, LOCATION_AR, 'شارع مراكش', '60000 وجدة']) expect(html).toContain(text);
    const { rows } = await t.db.query(`SELECT name_ar, description_ar FROM service WHERE id = $1`, [serviceId]);
    expect(rows[0]).toEqual({ name_ar: SERVICE_AR, description_ar: 'الإنصات والدعم النفسي والاجتماعي والتوجيه نحو طبيب نفسي عند الحاجة.' });
  });
});
