import type { BrowserContext, Page } from 'playwright-core';
import { DEMO } from '../support/test-app.js';
import { given } from '../referrals/given.js';
import { startSmtp, type TestSmtp } from '../support/smtp.js';
import { OutboxWorker } from '../../src/notifications/outbox.worker.js';
import { axe, describeBrowser, fitsNarrowScreen, login, screenshots, startRig, transferredBytes, type BrowserRig } from './browser-support.js';

/**
 * The counsellor's day in the pages (issue 20): follow-ups from the case page to the dashboard,
 * the loop closing on the need, session notes on a need-to-know basis. One browser, one app.
 */
let rig: BrowserRig;
/** Each journey audits its pages in two languages at two widths: slow on a shared machine (not a timed test). */
const JOURNEY = 240_000;
let smtp: TestSmtp;
let ctx: BrowserContext;
let page: Page;

async function switchLanguage(p: Page, lang: 'fr' | 'ar'): Promise<void> {
  await Promise.all([p.waitForNavigation(), p.click(`form.lang button[value="${lang}"]`)]);
  expect(await p.getAttribute('html', 'lang')).toBe(lang);
}

/** axe (no violations), screenshots at 360/1280, no horizontal scroll at 360 px, under 150 KB cold. */
async function audit(p: Page, name: string): Promise<void> {
  const lang = (await p.getAttribute('html', 'lang')) as string;
  expect({ name, lang, violations: await axe(p) }).toEqual({ name, lang, violations: [] });
  await screenshots(p, `day-${name}-${lang}`);
  expect({ name, lang, fits: await fitsNarrowScreen(p) }).toEqual({ name, lang, fits: true });
  const url = new URL(p.url());
  expect(await transferredBytes(rig.browser, ctx, url.pathname + url.search)).toBeLessThan(150 * 1024);
}

/** Both languages of the page for the audit, back in `back` afterwards. */
async function auditBoth(p: Page, name: string, back: 'fr' | 'ar'): Promise<void> {
  for (const lang of back === 'fr' ? (['fr', 'ar'] as const) : (['ar', 'fr'] as const)) {
    if ((await p.getAttribute('html', 'lang')) !== lang) await switchLanguage(p, lang);
    await audit(p, name);
  }
  if ((await p.getAttribute('html', 'lang')) !== back) await switchLanguage(p, back);
}

describeBrowser('the counsellor’s day in the pages', () => {
  beforeAll(async () => {
    smtp = await startSmtp();
    rig = await startRig({ SMTP_URL: smtp.url });
  }, 120_000);
  afterAll(async () => {
    await rig?.close();
    await smtp?.stop();
  });
  beforeEach(async () => {
    ctx = await rig.context('fr');
    page = await ctx.newPage();
  });
  afterEach(() => ctx.close());

  /** A case of Aminata with a psychosocial need, the wizard open on the Oujda PSS service's share step. */
  async function wizardAtShareStep(consentFields: string[] | null) {
    const g = given(rig.t);
    const c = await g.caseIn(DEMO.counsellorOujda, ['mhpss']);
    if (consentFields) await g.consent(DEMO.counsellorOujda, c.id, { categories: ['mhpss'], fields: consentFields });
    await login(page, DEMO.counsellorOujda);
    await page.goto(`/cases/${c.id}/refer?need=${c.need('mhpss')}`);
    const card = page.locator('.results > li', { hasText: 'Centre psychosocial associatif, Oujda' }).first();
    await Promise.all([page.waitForURL(/serviceAtLocationId=/), card.locator('a.button').first().click()]);
    return c;
  }

  const sendButton = 'form[action$="/refer"] button[value="send"]';
  const referralShares = async (id: string) => (await rig.t.db.query(`SELECT shared_fields::text[] AS shared_fields FROM referral WHERE id = $1`, [id])).rows[0]?.shared_fields as string[];

  it('wizard: fields come pre-ticked for the category; ticking name and phone then Send creates a referral sharing exactly those', async () => {
    await wizardAtShareStep(['name', 'phone', 'languages', 'age_band']);
    const ticked = await page.locator('input[name="fields"]:checked').evaluateAll((els) => els.map((e) => (e as unknown as { value: string }).value));
    expect(ticked.sort()).toEqual(['languages', 'name', 'phone']);
    await auditBoth(page, 'wizard', 'fr');
    await page.uncheck('input[name="fields"][value="languages"]');
    await page.selectOption('#w-priority', 'urgent');
    await page.fill('#w-note', 'Préfère un rendez-vous le matin.');
    await Promise.all([page.waitForURL(/\/referrals\/[0-9a-f-]{36}\?notice=referralSent/), page.click(sendButton)]);
    const id = new URL(page.url()).pathname.split('/').at(-1)!;
    expect((await referralShares(id)).sort()).toEqual(['name', 'phone']);
  }, JOURNEY);

  it('wizard: a missing consent is recorded inline and the referral is sent without re-choosing anything', async () => {
    const c = await wizardAtShareStep(null);
    await page.uncheck('input[name="fields"][value="languages"]');
    await page.check('input[name="fields"][value="age_band"]');
    await page.selectOption('#w-priority', 'urgent');
    await page.fill('#w-note', 'Note gardée 4417');
    // Send without consent: the same step comes back with everything kept and the consent form in place.
    await Promise.all([page.waitForNavigation(), page.click(sendButton)]);
    expect(page.url()).toContain(`/cases/${c.id}/refer`);
    expect(await page.isVisible('#consent-missing')).toBe(true);
    expect(await page.inputValue('#w-note')).toBe('Note gardée 4417');
    expect(await page.inputValue('#w-priority')).toBe('urgent');
    const kept = await page.locator('input[name="fields"]:checked').evaluateAll((els) => els.map((e) => (e as unknown as { value: string }).value));
    expect(kept.sort()).toEqual(['age_band', 'name', 'phone']);
    // (A language switch reloads the wizard from its link: the Arabic audit of this state is below.)
    await audit(page, 'wizard-consent-inline');
    await page.selectOption('#wc-method', 'verbal');
    await Promise.all([page.waitForNavigation(), page.click('button[name="intent"][value="consent"]')]);
    expect(await page.textContent('[role="status"]')).toContain('Le consentement enregistré couvre cette orientation.');
    expect(await page.inputValue('#w-note')).toBe('Note gardée 4417');
    await Promise.all([page.waitForURL(/\/referrals\/[0-9a-f-]{36}\?notice=referralSent/), page.click(sendButton)]);
    const id = new URL(page.url()).pathname.split('/').at(-1)!;
    expect((await referralShares(id)).sort()).toEqual(['age_band', 'name', 'phone']);
    const r = (await rig.t.db.query(`SELECT priority, status FROM referral WHERE id = $1`, [id])).rows[0];
    expect(r).toEqual({ priority: 'urgent', status: 'sent' });

    // The same state in Arabic: another case without consent, Send, the inline consent form.
    await switchLanguage(page, 'ar');
    const g = given(rig.t);
    const other = await g.caseIn(DEMO.counsellorOujda, ['mhpss']);
    const target = await g.serviceAtLocation(DEMO.providerPssOujda, 'mhpss');
    await page.goto(`/cases/${other.id}/refer?need=${other.need('mhpss')}&serviceAtLocationId=${target.salId}`);
    await Promise.all([page.waitForNavigation(), page.click(sendButton)]);
    expect(await page.isVisible('#consent-missing')).toBe(true);
    await audit(page, 'wizard-consent-inline');
    await switchLanguage(page, 'fr');
  }, JOURNEY);

  it('suggestions: an Oujda case’s first health suggestion is in Oujda and every card shows its city; “Other services” searches the whole directory', async () => {
    const place = async (code: string) => (await rig.t.db.query(`SELECT id FROM place WHERE code = $1`, [code])).rows[0].id as string;
    const g = given(rig.t);
    const c = await g.caseIn(DEMO.counsellorOujda, ['health_care'], { provinceId: await place('MA-OUJ'), communeId: await place('MA-OUJ-OUJ'), languages: ['fr'] });
    await login(page, DEMO.counsellorOujda);
    await page.goto(`/cases/${c.id}/refer?need=${c.need('health_care')}`);
    expect(await page.textContent('.ranked-for')).toContain('Oujda (lieu de résidence)');
    const cards = page.locator('.suggestions > li');
    expect(await cards.count()).toBeGreaterThanOrEqual(5);
    const wheres = (await cards.locator('.where').allTextContents()).map((w) => w.trim());
    expect(wheres[0]).toMatch(/^Oujda · à [\d,]+ km$/);
    // Every card: its city and distance, today's hours, languages, answer time and the reasons of its rank.
    for (const w of wheres) expect(w).toMatch(/^\p{L}[\p{L} ,'’-]+ · à [\d,]+ km$/u);
    const oujda = wheres.map((w) => w.startsWith('Oujda'));
    expect(oujda.indexOf(false)).toBeGreaterThan(0);
    expect(oujda.slice(oujda.indexOf(false))).not.toContain(true); // no service 100 km away ranks above Oujda's
    for (const card of await cards.all()) {
      const text = (await card.textContent())!;
      expect(text).toMatch(/Aujourd’hui : \d\d:\d\d–\d\d:\d\d|Fermé aujourd’hui|Horaires non communiqués/);
      expect(text).toMatch(/Langues : /);
      expect(text).toMatch(/Répond en \d+ h \(médiane\)|Délai de réponse pas encore connu/);
      expect(await card.locator('ul.reasons li').count()).toBeGreaterThanOrEqual(2);
      expect(await card.locator('.badge').count()).toBeGreaterThanOrEqual(1);
    }
    expect(await cards.first().locator('ul.reasons li', { hasText: 'Proximité' }).textContent()).toMatch(/\+2\d/);
    await auditBoth(page, 'wizard-suggestions', 'fr');

    // "Other services": the whole directory from the wizard, the need kept, any service can be chosen.
    await page.fill('#w-search', 'aide juridique');
    await Promise.all([page.waitForNavigation(), page.click('form[role="search"] button')]);
    expect(new URL(page.url()).searchParams.get('need')).toBe(c.need('health_care'));
    const found = page.locator('.found > li');
    expect(await found.count()).toBeGreaterThan(0);
    expect((await found.first().locator('.where').textContent())!.trim()).toMatch(/^Oujda · à [\d,]+ km$/);
    const name = (await found.first().locator('h3').textContent())!.trim();
    await audit(page, 'wizard-other-services');
    await Promise.all([page.waitForURL(/serviceAtLocationId=/), found.first().locator('a.button').first().click()]);
    expect(await page.textContent('h2')).toContain(name);
    expect(await page.isVisible(sendButton)).toBe(true);

    // Where the person lives decides: a case of Berkane gets Berkane's health services first.
    const b = await g.caseIn(DEMO.counsellorOujda, ['health_care'], { provinceId: await place('MA-BER'), communeId: await place('MA-BER-BER') });
    await page.goto(`/cases/${b.id}/refer?need=${b.need('health_care')}`);
    expect((await page.locator('.suggestions > li .where').first().textContent())!.trim()).toMatch(/^Berkane · à [\d,]+ km$/);
    // No place recorded: ranked from the unit's place, and the page says so.
    const none = await g.caseIn(DEMO.counsellorOujda, ['health_care']);
    await page.goto(`/cases/${none.id}/refer?need=${none.need('health_care')}`);
    expect(await page.textContent('.ranked-for')).toContain('Oujda-Angad (lieu de l’unité');
    expect((await page.locator('.suggestions > li .where').first().textContent())!.trim()).toMatch(/^Oujda · /);
  }, JOURNEY);

  it('search: a case is found by a name, by a phone and by the last digits of its code; the caseload is sorted by next follow-up then risk across pages', async () => {
    const g = given(rig.t);
    const c = await g.caseIn(DEMO.counsellorOujda, ['mhpss'], { givenName: 'Zineb', familyName: 'Ouazzani Tahiri', phone: '0655 44 33 21' });
    await login(page, DEMO.counsellorOujda);
    const found = async () => page.locator('ul.caseload > li a[href^="/cases/"]').evaluateAll((as) => as.map((a) => (a as unknown as { getAttribute(n: string): string }).getAttribute('href')));
    // By a name (words in any order, case and accents ignored) — a POST: no name in the URL.
    await page.goto('/cases');
    await page.fill('#s-name', 'tahiri ZINEB');
    await Promise.all([page.waitForNavigation(), page.click('form[action="/cases/search"] button')]);
    expect(new URL(page.url()).pathname).toBe('/cases/search');
    expect(page.url()).not.toMatch(/tahiri|zineb/i);
    expect(await found()).toEqual([`/cases/${c.id}`]);
    expect(await page.textContent('ul.caseload')).toContain('Zineb Ouazzani Tahiri');
    await auditBoth(page, 'caseload-search', 'fr');
    // By a phone, written another way.
    await page.goto('/cases');
    await page.fill('#s-phone', '+212 655-443321');
    await Promise.all([page.waitForNavigation(), page.click('form[action="/cases/search"] button')]);
    expect(await found()).toEqual([`/cases/${c.id}`]);
    // By the last digits of its code.
    await page.goto('/cases');
    await page.fill('#f-code', c.code.slice(-5));
    await Promise.all([page.waitForNavigation(), page.click('form[action="/cases"] button[type="submit"]')]);
    expect(await found()).toContain(`/cases/${c.id}`);

    // Across pages of 3: next follow-up (soonest first, none last), then risk (highest first).
    const api = await rig.t.as(DEMO.counsellorOujda);
    const plan: Array<[string | null, 'low' | 'medium' | 'high']> = [['2026-03-02', 'low'], ['2026-03-02', 'high'], ['2026-03-01', 'low'], [null, 'high'], [null, 'low'], ['2026-03-03', 'medium'], ['2026-03-02', 'medium']];
    for (const [due, risk] of plan) {
      const x = await g.caseIn(DEMO.counsellorOujda, ['mhpss'], { givenName: 'Ordre' });
      await api.patch(`/api/v1/cases/${x.id}`).send({ riskLevel: risk }).expect(200);
      if (due) await api.post(`/api/v1/cases/${x.id}/tasks`).send({ dueDate: due, description: 'Rappeler' }).expect(201);
    }
    await page.goto('/cases?mine=1&limit=3');
    const seen: string[] = [];
    for (let pages = 0; pages < 200; pages++) {
      seen.push(...(await found()).map((h) => h.split('/').at(-1)!));
      const next = page.locator('a[rel="next"]');
      if (!(await next.count())) break;
      if (pages === 0) await audit(page, 'caseload');
      await Promise.all([page.waitForNavigation(), next.click()]);
    }
    const keys = (
      await rig.t.db.query(
        `SELECT c.id, coalesce((SELECT min(t.due_date) FROM follow_up_task t WHERE t.case_id = c.id AND t.status = 'open'), DATE '9999-12-31')::text AS due,
                CASE c.risk_level WHEN 'high' THEN 0 WHEN 'medium' THEN 1 ELSE 2 END AS risk
           FROM case_file c JOIN app_user u ON u.id = c.assigned_counsellor_id WHERE u.email = $1`,
        [DEMO.counsellorOujda],
      )
    ).rows as Array<{ id: string; due: string; risk: number }>;
    expect(new Set(seen).size).toBe(seen.length);
    expect([...seen].sort()).toEqual(keys.map((k) => k.id).sort());
    const byId = new Map(keys.map((k) => [k.id, `${k.due}/${k.risk}`]));
    const order = seen.map((id) => byId.get(id)!);
    expect(order).toEqual([...order].sort());
  }, JOURNEY);

  it('an appointment typed 10:00 on a day of Ramadan shows 10:00 on the provider’s page, the counsellor’s case page and in the e-mail', async () => {
    const { referral, case: c } = await given(rig.t).sentReferral();
    const worker = rig.t.app.get(OutboxWorker);
    await worker.drain();
    smtp.received.length = 0;
    await login(page, DEMO.providerPssOujda); // an Arabic-speaking account
    await page.goto(`/referrals/${referral.id}`);
    // 15 February 2027: Morocco is at +00 during Ramadan, +01 otherwise; 10:00 stays 10:00 either way.
    await page.fill('#a-at', '2027-02-15T10:00');
    await Promise.all([page.waitForURL(/notice=saved/), page.click(`form[action="/referrals/${referral.id}/accept"] button`)]);
    const stored = (await rig.t.db.query(`SELECT appointment_at FROM referral WHERE id = $1`, [referral.id])).rows[0].appointment_at as Date;
    expect(stored.toISOString()).toBe('2027-02-15T10:00:00.000Z');
    expect(await page.textContent('main')).toContain('10:00');
    await auditBoth(page, 'referral-appointment', 'ar');

    await worker.drain();
    const mail = smtp.to(DEMO.counsellorOujda);
    expect(mail).toHaveLength(1);
    expect(mail[0]!.text).toContain('2027-02-15 10:00');

    const counsellor = await ctx.browser()!.newContext({ baseURL: rig.base });
    const p2 = await counsellor.newPage();
    await login(p2, DEMO.counsellorOujda);
    await p2.goto(`/cases/${c.id}`);
    const shown = (await p2.textContent('#referrals ~ ol .appointment'))!;
    expect(shown).toContain('10:00');
    expect(shown).toContain('2027');
    await counsellor.close();
  }, JOURNEY);

  it('a follow-up created on the case page appears on the dashboard card, is rescheduled and completed', async () => {
    const c = await given(rig.t).caseIn(DEMO.counsellorOujda, ['mhpss']);
    await login(page, DEMO.counsellorOujda);
    await page.goto(`/cases/${c.id}`);
    await page.click('#tasks ~ details summary');
    const today = (await page.inputValue('#t-due'))!;
    expect(today).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    await page.fill('#t-desc', 'Rappeler pour le rendez-vous');
    await Promise.all([page.waitForURL(/notice=saved/), page.click(`form[action="/cases/${c.id}/tasks"] button[type="submit"]`)]);
    expect(await page.textContent('ul.tasks')).toContain('Rappeler pour le rendez-vous');
    await auditBoth(page, 'case', 'fr');

    await page.goto('/dashboard');
    const card = page.locator('section[aria-labelledby="card-follow-ups"]');
    expect(await card.textContent()).toContain(c.code);

    // Rescheduled beyond the card's three days: it leaves the card.
    await page.goto(`/cases/${c.id}`);
    const later = new Date(Date.parse(`${today}T12:00:00Z`) + 20 * 86_400_000).toISOString().slice(0, 10);
    const task = page.locator('ul.tasks > li', { hasText: 'Rappeler pour le rendez-vous' });
    await task.locator('input[type="date"]').fill(later);
    await Promise.all([page.waitForURL(/notice=saved/), task.locator('button', { hasText: 'Reporter' }).click()]);
    expect(await page.inputValue('ul.tasks input[type="date"]')).toBe(later);
    await page.goto('/dashboard');
    expect(await page.locator('section[aria-labelledby="card-follow-ups"]').textContent()).not.toContain(c.code);

    await page.goto(`/cases/${c.id}`);
    await Promise.all([page.waitForURL(/notice=saved/), page.locator('ul.tasks > li').first().locator('button', { hasText: 'Fait' }).click()]);
    expect(await page.locator('ul.tasks input[type="date"]').count()).toBe(0);
  }, JOURNEY);

  it('a referral completed with “service provided” marks its need met on the case page; a partial one leaves it open with the outcome shown', async () => {
    const g = given(rig.t);
    const provider = await rig.t.as(DEMO.providerPssOujda);
    const full = await g.sentReferral();
    const partial = await g.sentReferral();
    for (const [r, outcome] of [[full.referral, 'service_provided'], [partial.referral, 'partially_provided']] as const) {
      await provider.post(`/api/v1/referrals/${r.id}/accept`).send({}).expect(200);
      await provider.post(`/api/v1/referrals/${r.id}/start`).send({}).expect(200);
      await provider.post(`/api/v1/referrals/${r.id}/complete`).send({ outcomeCode: outcome }).expect(200);
    }
    await login(page, DEMO.counsellorOujda);
    await page.goto(`/cases/${full.case.id}`);
    expect(await page.locator('#needs ~ ul .badge').allTextContents()).toEqual(['Satisfait']);
    expect(await page.textContent('#referrals ~ ol')).toContain('Service fourni');
    await page.goto(`/cases/${partial.case.id}`);
    expect(await page.locator('#needs ~ ul .badge').allTextContents()).toEqual(['À satisfaire']);
    expect(await page.textContent('#referrals ~ ol')).toContain('Service fourni en partie');
  }, JOURNEY);

  it('an unassigned counsellor of the unit sees the session’s date but not its note (page and API)', async () => {
    const c = await given(rig.t).caseIn(DEMO.counsellorOujda, ['mhpss']);
    await (await rig.t.as(DEMO.counsellorOujda)).post(`/api/v1/cases/${c.id}/sessions`).send({ sessionDate: '2026-02-03', kind: 'psychosocial', durationMinutes: 45, note: 'Récit 90210 de la personne' }).expect(201);

    await login(page, DEMO.counsellorOujda);
    await page.goto(`/cases/${c.id}`);
    expect(await page.textContent('#sessions ~ ul')).toContain('Récit 90210');

    const other = await ctx.browser()!.newContext({ baseURL: rig.base });
    const p2 = await other.newPage();
    await login(p2, DEMO.counsellor2Oujda); // an Arabic-speaking account
    await p2.goto(`/cases/${c.id}`);
    const seen = (await p2.textContent('#sessions ~ ul'))!;
    expect(seen).not.toContain('90210');
    expect(seen).toContain('الملاحظة مخصصة');
    expect(seen).toMatch(/2026/);
    const api = (await (await rig.t.as(DEMO.counsellor2Oujda)).get(`/api/v1/cases/${c.id}/sessions`).expect(200)).body;
    expect(api).toEqual([expect.objectContaining({ sessionDate: '2026-02-03', durationMinutes: 45, note: null, noteWithheld: true })]);
    await other.close();
  }, JOURNEY);
});
