import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { AGE_BANDS, DOCUMENT_TYPES, INCIDENT_TYPES, PERSON_LANGUAGES, POPULATION_GROUPS, SEXES, TIME_ELAPSED } from '../../src/cases/cases.constants.js';
import { CATEGORIES } from '../../src/common/categories.js';
import { OutboxWorker } from '../../src/notifications/outbox.worker.js';
import { OUTCOME_CODES, PRIORITIES, REASON_CODES, REFERRAL_STATUSES } from '../../src/referrals/referral-state.js';
import { given } from '../referrals/given.js';
import { startSmtp, type TestSmtp } from '../support/smtp.js';
import { DEMO } from '../support/test-app.js';
import { axe, describeBrowser, fitsNarrowScreen, login, screenshots, startRig, transferredBytes, type BrowserRig } from './browser-support.js';

/** Every code a person could be shown instead of its label. */
const CODES = new Set<string>([
  ...SEXES,
  ...AGE_BANDS,
  ...POPULATION_GROUPS,
  ...PERSON_LANGUAGES.filter((l) => l !== 'other'),
  ...DOCUMENT_TYPES,
  ...INCIDENT_TYPES,
  ...TIME_ELAPSED,
  ...CATEGORIES,
  ...REFERRAL_STATUSES,
  ...PRIORITIES,
  ...REASON_CODES,
  ...OUTCOME_CODES,
]);

let rig: BrowserRig;
let smtp: TestSmtp;
let worker: OutboxWorker;
const pdfDir = mkdtempSync(join(tmpdir(), 'tawjih-slip-'));

/** axe clean, no horizontal scroll at 360 px, under 150 KB cold; screenshots at 360 and 1280. */
async function audit(ctx: BrowserContext, p: Page, name: string): Promise<void> {
  const lang = (await p.getAttribute('html', 'lang')) as string;
  expect({ name, lang, violations: await axe(p) }).toEqual({ name, lang, violations: [] });
  await screenshots(p, `${name}-${lang}`);
  expect({ name, lang, fits: await fitsNarrowScreen(p) }).toEqual({ name, lang, fits: true });
  const url = new URL(p.url());
  expect(await transferredBytes(rig.browser, ctx, url.pathname + url.search)).toBeLessThan(150 * 1024);
}

/** The values a person reads on the referral page (facts, badges, history), split at list separators. */
async function valuesOf(p: Page): Promise<string[]> {
  const texts = (await p.locator('main dl.facts dd, main .badge, main .timeline li, main .reply p').allInnerTexts()) as string[];
  return texts.flatMap((t) => t.split(/[,،—→←():\n]| - /)).map((s) => s.trim()).filter(Boolean);
}

function pdfText(pdf: Buffer, name: string): string {
  const file = join(pdfDir, `${name}.pdf`);
  writeFileSync(file, pdf);
  return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
}

describeBrowser('the provider, the person and the public (Chromium)', () => {
  beforeAll(async () => {
    smtp = await startSmtp();
    rig = await startRig({ SMTP_URL: smtp.url });
    worker = rig.t.app.get(OutboxWorker);
    await rig.t.db.query(`UPDATE outbox_message SET status = 'sent' WHERE status = 'pending'`);
  }, 600_000);
  afterAll(async () => {
    await rig?.close();
    await smtp?.stop();
  });

  describe('provider: the referral page speaks in words, the loop closes with a note', () => {
    let referral: { id: string; reference: string };
    let caseId = '';
    let caseCode = '';
    const NOTE = 'Vue le 2 : suivi hebdomadaire le mardi, à revoir dans un mois.';

    beforeAll(async () => {
      const g = given(rig.t);
      const c = await g.caseIn(DEMO.counsellorOujda, ['mhpss', 'legal_aid', 'health_care'], { documentType: 'passport', documentNumber: 'X1234567', languages: ['fr', 'ary'] });
      caseId = c.id;
      caseCode = c.code;
      const target = await g.serviceAtLocation(DEMO.providerPssOujda, 'mhpss');
      const fields = ['age_band', 'sex', 'nationality', 'languages', 'population_group', 'needs_summary', 'documents'];
      await g.consent(DEMO.counsellorOujda, c.id, { categories: ['mhpss'], fields });
      const res = await (await rig.t.as(DEMO.counsellorOujda))
        .post('/api/v1/referrals')
        .send({ caseId: c.id, needId: c.need('mhpss'), serviceAtLocationId: target.salId, priority: 'urgent', sharedFields: fields, noteForProvider: 'Préfère une conseillère.', send: true })
        .expect(201);
      referral = res.body;
    });

    it.each([
      ['fr', DEMO.providerHealthOujda],
      ['ar', DEMO.providerPssOujda],
    ] as const)('shows every shared value and status by its label, no code (%s)', async (lang, who) => {
      const ctx = await rig.context(lang);
      const p = await ctx.newPage();
      // The health provider's own referral (the seed's), the PSS provider's the one above.
      await login(p, who);
      if (who === DEMO.providerPssOujda) await p.goto(`/referrals/${referral.id}`);
      else {
        await p.goto('/referrals');
        await Promise.all([p.waitForURL(/\/referrals\/[0-9a-f-]{36}$/), p.locator('main a[href^="/referrals/"]').first().click()]);
      }
      expect(await p.getAttribute('html', 'dir')).toBe(lang === 'ar' ? 'rtl' : 'ltr');
      const values = await valuesOf(p);
      expect(values.length).toBeGreaterThan(4);
      expect(values.filter((v) => CODES.has(v))).toEqual([]);
      if (who === DEMO.providerPssOujda) {
        const main = (await p.innerText('main')) as string;
        expect(main).toContain(lang === 'ar' ? 'جواز السفر' : 'Passeport');
        expect(main).not.toContain(caseCode);
      }
      await audit(ctx, p, 'provider-referral');
      // At 360 px the header (brand, languages, menu, account) stays well under a third of the screen.
      await p.setViewportSize({ width: 360, height: 800 });
      expect((await p.evaluate('document.querySelector("header.site").getBoundingClientRect().height')) as number).toBeLessThan(800 / 4);
      expect(await p.evaluate('getComputedStyle(document.querySelector("main dl.facts")).gridTemplateColumns.split(" ").length')).toBe(1);
      await p.setViewportSize({ width: 1280, height: 900 });
      await p.goto('/referrals');
      await audit(ctx, p, 'provider-inbox');
      await ctx.close();
    });

    it('accepts with an appointment typed in Morocco time and starts at once; completes with a note that reaches the unit', async () => {
      const ctx = await rig.context('fr');
      const p = await ctx.newPage();
      await login(p, DEMO.providerPssOujda);
      await p.goto(`/referrals/${referral.id}?lang=fr`);
      await p.fill('#a-at', '2026-12-15T10:30');
      await p.check('input[name="startNow"]');
      await Promise.all([p.waitForURL(/notice=saved/), p.click(`form[action="/referrals/${referral.id}/accept"] button[type="submit"]`)]);
      expect(await p.textContent('main .badge')).toMatch(/En cours/);
      expect(await p.innerText('main dl.facts')).toContain('15 décembre 2026 à 10:30');
      await p.selectOption('#c-outcome', 'service_provided');
      await p.fill('#c-note', NOTE);
      await Promise.all([p.waitForURL(/notice=saved/), p.click(`form[action="/referrals/${referral.id}/complete"] button[type="submit"]`)]);
      expect(await p.textContent('.reply')).toContain(NOTE);
      await ctx.close();

      // The unit: its case page and its referral page show the note; the e-mail says one waits, without it.
      const unit = await rig.context('fr');
      const u = await unit.newPage();
      await login(u, DEMO.counsellorOujda);
      await u.goto(`/cases/${caseId}`);
      expect(await u.textContent('#referrals ~ ol')).toContain(NOTE);
      await u.goto(`/referrals/${referral.id}`);
      expect(await u.textContent('.reply')).toContain(NOTE);
      expect(await u.innerText('main dl.facts')).toContain(caseCode);
      expect(await u.textContent('main')).not.toContain('Ouvrir le dossier');
      await unit.close();

      await worker.drain();
      const mail = smtp.to(DEMO.counsellorOujda).find((m) => m.subject.includes(referral.reference) && /clôturée/.test(m.subject));
      expect(mail?.text).toContain('Note du prestataire : une note vous attend dans Tawjih');
      expect(mail?.text).toContain(`/referrals/${referral.id}`);
      expect(mail!.raw + mail!.text).not.toContain('hebdomadaire');
      expect(mail!.text).not.toContain(caseCode);
    });
  });

  describe('counsellor: the referral slip for the person', () => {
    let health: { id: string; reference: string };
    let shelter: { id: string; reference: string };
    let caseCode = '';

    beforeAll(async () => {
      const g = given(rig.t);
      const c = await g.caseIn(DEMO.counsellorOujda, ['mhpss', 'shelter']);
      caseCode = c.code;
      await g.consent(DEMO.counsellorOujda, c.id, { categories: ['mhpss', 'shelter'], fields: ['age_band'] });
      const counsellor = await rig.t.as(DEMO.counsellorOujda);
      const pss = await g.serviceAtLocation(DEMO.providerPssOujda, 'mhpss');
      health = (await counsellor.post('/api/v1/referrals').send({ caseId: c.id, needId: c.need('mhpss'), serviceAtLocationId: pss.salId, priority: 'routine', sharedFields: ['age_band'], noteForProvider: 'Histoire très personnelle', send: true }).expect(201)).body;
      await (await rig.t.as(DEMO.providerPssOujda)).post(`/api/v1/referrals/${health.id}/accept`).send({ appointmentAt: '2026-12-16T09:15:00+01:00' }).expect(200);
      const sal = (
        await rig.t.db.query(`SELECT sal.id FROM service_at_location sal JOIN service s ON s.id = sal.service_id WHERE s.tier = 'restricted' AND 'shelter' = ANY(s.categories) AND s.status = 'active' AND s.capacity_status <> 'not_accepting' ORDER BY s.created_at LIMIT 1`)
      ).rows[0].id as string;
      shelter = (await counsellor.post('/api/v1/referrals').send({ caseId: c.id, needId: c.need('shelter'), serviceAtLocationId: sal, priority: 'urgent', sharedFields: ['age_band'], send: true }).expect(201)).body;
    });

    it.each(['fr', 'ar'] as const)('prints the service, address, hours and appointment; never the case code, the note or the shelter’s address (%s)', async (lang) => {
      const ctx = await rig.context(lang);
      const p = await ctx.newPage();
      await login(p, DEMO.counsellorOujda);
      await p.goto(`/referrals/${health.id}`);
      await Promise.all([p.waitForURL(/\/slip$/), p.click(`a[href="/referrals/${health.id}/slip"]`)]);
      await Promise.all([p.waitForURL(/language=/), p.click(`a[hreflang="${lang}"]`)]);
      expect(await p.getAttribute('article.slip', 'dir')).toBe(lang === 'ar' ? 'rtl' : 'ltr');
      expect(await p.locator('article.slip svg[role="img"]').count()).toBe(1);
      await audit(ctx, p, 'slip');

      const pdf = await ctx.request.get(`/referrals/${health.id}/slip.pdf?language=${lang}&size=A5`);
      expect(pdf.status()).toBe(200);
      expect(pdf.headers()['content-type']).toBe('application/pdf');
      const text = pdfText(await pdf.body(), `health-${lang}`);
      expect(text).toContain(health.reference);
      // Where to go, in the slip's language: the street the directory holds in Arabic, never the French beside it.
      expect(text).toContain(lang === 'ar' ? 'شارع مراكش' : 'Rue de Marrakech');
      if (lang === 'ar') for (const french of ['Rue de Marrakech', 'Centre psychosocial']) expect(text).not.toContain(french);
      expect(text).toContain('08:30');
      expect(text).toContain('09:15');
      expect(text).toContain(lang === 'ar' ? 'الموعد' : 'Rendez-vous');
      expect(text).toContain(lang === 'ar' ? 'أوقات العمل' : 'Horaires');
      for (const never of [caseCode, 'Histoire très personnelle', 'Santé mentale', 'الصحة النفسية']) expect(text).not.toContain(never);

      const restricted = await ctx.request.get(`/referrals/${shelter.id}/slip.pdf?language=${lang}&size=A4`);
      expect(restricted.status()).toBe(200);
      const stext = pdfText(await restricted.body(), `shelter-${lang}`);
      expect(stext).toContain(shelter.reference);
      expect(stext).toContain('+212');
      for (const never of [caseCode, 'Adresse communiquée', 'hébergement', 'Hébergement', 'الإيواء', 'openstreetmap']) expect(stext).not.toContain(never);
      await ctx.close();
    });

    it('has no slip for a provider (403), nor for a draft (409)', async () => {
      const ctx = await rig.context('fr');
      const p = await ctx.newPage();
      await login(p, DEMO.providerPssOujda);
      expect((await p.goto(`/referrals/${health.id}/slip`))!.status()).toBe(403);
      expect((await ctx.request.get(`/referrals/${health.id}/slip.pdf`)).status()).toBe(403);
      await ctx.close();

      const g = given(rig.t);
      const c = await g.caseIn(DEMO.counsellorOujda, ['mhpss']);
      await g.consent(DEMO.counsellorOujda, c.id, { categories: ['mhpss'], fields: ['age_band'] });
      const pss = await g.serviceAtLocation(DEMO.providerPssOujda, 'mhpss');
      const draft = (await (await rig.t.as(DEMO.counsellorOujda)).post('/api/v1/referrals').send({ caseId: c.id, needId: c.need('mhpss'), serviceAtLocationId: pss.salId, priority: 'routine', sharedFields: [] }).expect(201)).body;
      const unit = await rig.context('fr');
      const u = await unit.newPage();
      await login(u, DEMO.counsellorOujda);
      expect((await unit.request.get(`/referrals/${draft.id}/slip.pdf`)).status()).toBe(409);
      expect((await unit.request.get(`/referrals/${health.id}/slip.pdf?size=A3`)).status()).toBe(400);
      await unit.close();
    });
  });

  describe('visitors: the directory finds what people type, in the language of the link or the browser', () => {
    it.each([
      ['psychologue', 'Soutien psychosocial'],
      ['médecin', 'Soins de santé primaires'],
      ['medecin', 'Soins de santé primaires'],
      ['طبيب', 'Soins de santé primaires'],
      ['محامي', 'juridique'],
    ])('« %s » finds a matching service of the demo directory', async (word, expected) => {
      const ctx = await rig.context('fr');
      const p = await ctx.newPage();
      await p.goto(`/?search=${encodeURIComponent(word)}&lang=fr`);
      const results = (await p.locator('.results > li h3').allInnerTexts()) as string[];
      expect(results.length).toBeGreaterThan(0);
      expect(results.join(' | ')).toContain(expected);
      await ctx.close();
    });

    it.each(['fr', 'ar'] as const)('passes axe with results and with none (zero-result page suggests categories and services) (%s)', async (lang) => {
      const ctx = await rig.context(lang);
      const p = await ctx.newPage();
      await p.goto(`/?search=${encodeURIComponent(lang === 'ar' ? 'طبيب نفسي' : 'psy')}`);
      expect(await p.locator('.results > li').count()).toBeGreaterThan(0);
      await audit(ctx, p, 'directory-synonym');
      await p.goto('/?search=zzqqxx');
      expect(await p.locator('.suggest a[href^="/?category="]').count()).toBe(12);
      expect(await p.locator('.suggest a[href^="/services/"]').count()).toBeGreaterThan(0);
      await audit(ctx, p, 'directory-none');
      await ctx.close();
    });

    it('/?lang=ar and Accept-Language: ar both give an Arabic page right to left; the link keeps the language', async () => {
      const plain = await rig.browser.newContext({ baseURL: rig.base });
      const p = await plain.newPage();
      await p.goto('/?lang=ar');
      expect([await p.getAttribute('html', 'lang'), await p.getAttribute('html', 'dir')]).toEqual(['ar', 'rtl']);
      expect(await p.getAttribute('link[rel="alternate"][hreflang="fr"]', 'href')).toMatch(/\/\?lang=fr$/);
      await p.goto('/login');
      expect(await p.getAttribute('html', 'dir')).toBe('rtl');
      await plain.close();

      const browserAr = await rig.browser.newContext({ baseURL: rig.base, locale: 'ar-MA', extraHTTPHeaders: { 'Accept-Language': 'ar-MA,ar;q=0.9,fr;q=0.5' } });
      const q = await browserAr.newPage();
      await q.goto('/');
      expect([await q.getAttribute('html', 'lang'), await q.getAttribute('html', 'dir')]).toEqual(['ar', 'rtl']);
      await browserAr.close();

      const browserEn = await rig.browser.newContext({ baseURL: rig.base, extraHTTPHeaders: { 'Accept-Language': 'de-DE,de;q=0.9' } });
      const r = await browserEn.newPage();
      await r.goto('/');
      expect(await r.getAttribute('html', 'lang')).toBe('fr');
      await browserEn.close();
    });

    it('keeps a language chosen before sign-in after signing in', async () => {
      const ctx = await rig.browser.newContext({ baseURL: rig.base });
      const p = await ctx.newPage();
      await p.goto('/login?lang=ar');
      await login(p, DEMO.counsellor2Oujda);
      expect(await p.getAttribute('html', 'lang')).toBe('ar');
      await p.goto('/cases');
      expect(await p.getAttribute('html', 'dir')).toBe('rtl');
      await ctx.close();
    });
  });

  describe('coordinator: reports and the factsheet from the menu', () => {
    it.each(['fr', 'ar'] as const)('reaches the reports summary, an indicator’s detail and the factsheet (%s)', async (lang) => {
      const ctx = await rig.context(lang);
      const p = await ctx.newPage();
      await login(p, DEMO.coordinator);
      await p.goto(`/dashboard?lang=${lang}`);
      await Promise.all([p.waitForURL(/\/reports$/), p.click('nav.main-nav a[href="/reports"]')]);
      expect(await p.locator('main table tbody tr').count()).toBeGreaterThan(5);
      expect(await p.locator('main .chart').count()).toBe(0);
      await audit(ctx, p, 'reports-summary');
      await Promise.all([p.waitForURL(/indicators=PSS-1/), p.click('main a[href*="indicators=PSS-1"]')]);
      await p.selectOption('#r-by', 'sex');
      await Promise.all([p.waitForURL(/by=sex/), p.click('form.filters button[type="submit"]')]);
      expect(await p.locator('section[aria-labelledby="ind-PSS-1"] table').count()).toBe(1);
      // The chart's words are page text: at 360 px they keep the page's size (an SVG scaled down drew them at ≈ 4 px).
      await p.setViewportSize({ width: 360, height: 800 });
      const chart = p.locator('section[aria-labelledby="ind-PSS-1"] .chart[role="img"]');
      expect(await chart.count()).toBe(1);
      const sizes = await chart.locator('.bar-label').evaluateAll((els) => els.map((e) => parseFloat((globalThis as unknown as { getComputedStyle(e: unknown): { fontSize: string } }).getComputedStyle(e).fontSize)));
      expect(sizes.length).toBeGreaterThan(0);
      expect(Math.min(...sizes)).toBeGreaterThanOrEqual(13);
      await p.setViewportSize({ width: 1280, height: 900 });
      await audit(ctx, p, 'reports-detail');
      await Promise.all([p.waitForURL(/\/reports\/factsheet/), p.click('nav.main-nav a[href="/reports/factsheet"]')]);
      expect(await p.locator('ul.factsheet li').count()).toBeGreaterThan(3);
      await audit(ctx, p, 'factsheet');
      await ctx.close();
    });
  });
});
