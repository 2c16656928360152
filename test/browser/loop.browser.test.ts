import type { BrowserContext, Page } from 'playwright-core';
import { DEMO } from '../support/test-app.js';
import { axe, describeBrowser, fitsNarrowScreen, login, screenshots, startRig, transferredBytes, type BrowserRig } from './browser-support.js';

let rig: BrowserRig;
let ctx: BrowserContext;
let page: Page;

/** The language of the signed-in user, through the header's language form. */
async function switchLanguage(p: Page, lang: 'fr' | 'ar'): Promise<void> {
  await Promise.all([p.waitForNavigation(), p.click(`form.lang button[value="${lang}"]`)]);
  expect(await p.getAttribute('html', 'lang')).toBe(lang);
}

/** axe (no violations), screenshots at 360/1280, no horizontal scroll at 360 px, under 150 KB cold. */
const year = new Date().getUTCFullYear();
const PSS_REPORT = `/reports?from=${year}-01-01&to=${year}-12-31&indicators=PSS-1`;

/** The total of PSS-1 (distinct persons with a psychosocial delivery) on the coordinator's reports page. */
async function pssTotal(p: Page): Promise<number> {
  await p.goto(PSS_REPORT);
  const text = (await p.textContent('section[aria-labelledby="ind-PSS-1"] p strong span'))!.trim();
  expect(text).toMatch(/^\d+$/);
  return Number(text);
}

async function audit(p: Page, name: string): Promise<void> {
  const lang = (await p.getAttribute('html', 'lang')) as string;
  const violations = await axe(p);
  expect({ name, lang, violations }).toEqual({ name, lang, violations: [] });
  await screenshots(p, `${name}-${lang}`);
  expect({ name, lang, fits: await fitsNarrowScreen(p) }).toEqual({ name, lang, fits: true });
  const bytes = await transferredBytes(rig.browser, ctx, new URL(p.url()).pathname + new URL(p.url()).search);
  expect(bytes).toBeLessThan(150 * 1024);
}

describeBrowser('the whole loop in a browser: case → consent → referral from a suggestion → provider accepts and completes', () => {
  beforeAll(async () => {
    // Threshold 1: the one delivery this loop makes stays visible in the coordinator's report.
    rig = await startRig({ SUPPRESSION_THRESHOLD: '1' });
  }, 120_000);
  afterAll(() => rig?.close());
  beforeEach(async () => {
    ctx = await rig.context('fr');
    page = await ctx.newPage();
  });
  afterEach(() => ctx.close());

  let referralUrl = '';
  let pssBefore = -1;

  it('coordinator: notes the psychosocial figure of the year before the loop', async () => {
    await login(page, DEMO.coordinator);
    pssBefore = await pssTotal(page);
    expect(pssBefore).toBeGreaterThanOrEqual(0);
  });

  it('counsellor: creates a case, records consent and sends a referral from a ranked suggestion', async () => {
    await login(page, DEMO.counsellorOujda);
    await page.goto('/cases/new');
    await page.fill('#p-given', 'Fatou');
    await page.selectOption('#p-sex', 'female');
    await page.selectOption('#p-age', '25-59');
    await page.check('input[name="needs"][value="mhpss"]');
    await Promise.all([page.waitForURL(/\/cases\/[0-9a-f-]{36}/), page.click('form[action="/cases"] button[type="submit"]')]);
    const caseUrl = new URL(page.url()).pathname;

    await page.click('#consents ~ details summary');
    await page.check('input[name="categories"][value="mhpss"]');
    for (const f of ['age_band', 'sex']) await page.check(`input[name="fields"][value="${f}"]`);
    await Promise.all([page.waitForURL(/notice=saved/), page.click(`form[action="${caseUrl}/consents"] button[type="submit"]`)]);

    await Promise.all([page.waitForURL(/\/refer\?need=/), page.click('a[href*="/refer?need="]')]);
    await audit(page, 'wizard-suggestions');
    expect(await page.textContent('.results')).toContain('Centre psychosocial associatif, Oujda');
    const card = page.locator('.results > li', { hasText: 'Centre psychosocial associatif, Oujda' }).first();
    await Promise.all([page.waitForURL(/serviceAtLocationId=/), card.locator('a.button').first().click()]);
    await audit(page, 'wizard-consent');
    await switchLanguage(page, 'ar');
    await audit(page, 'wizard-consent');
    await switchLanguage(page, 'fr');
    // One form: the fields pre-ticked for the category (name, phone, languages) are changed to what the consent covers.
    for (const f of ['name', 'phone', 'languages']) await page.uncheck(`input[name="fields"][value="${f}"]`);
    for (const f of ['age_band', 'sex']) await page.check(`input[name="fields"][value="${f}"]`);
    await page.selectOption('#w-priority', 'urgent');
    await Promise.all([page.waitForNavigation(), page.click('form[method="post"][action$="/refer"] button[value="send"]')]);
    expect({ url: page.url(), alert: await page.locator('[role="alert"]').allTextContents() }).toEqual({ url: expect.stringMatching(/\/referrals\/[0-9a-f-]{36}/), alert: [] });
    expect(await page.textContent('h1')).toMatch(/Orientation/);
    referralUrl = new URL(page.url()).pathname;
  });

  it('provider of another organisation: the referral URL is a not-found page', async () => {
    await login(page, DEMO.providerHealthOujda);
    const res = await page.goto(referralUrl);
    expect(res!.status()).toBe(404);
    expect(await page.textContent('h1')).toBe('Page introuvable');
  });

  it('provider: sees it in the inbox with only the shared data, accepts, starts and completes it', async () => {
    await login(page, DEMO.providerPssOujda); // an Arabic-speaking account
    await page.goto('/referrals');
    await audit(page, 'inbox');
    await Promise.all([page.waitForURL(referralUrl), page.click(`a[href="${referralUrl}"]`)]);
    const shared = await page.textContent('main');
    expect(shared).not.toContain('Fatou');
    await audit(page, 'referral');
    await Promise.all([page.waitForURL(/notice=saved/), page.click(`form[action="${referralUrl}/accept"] button`)]);
    await Promise.all([page.waitForURL(/notice=saved/), page.click(`form[action="${referralUrl}/start"] button`)]);
    await page.selectOption('#c-outcome', 'service_provided');
    await Promise.all([page.waitForURL(/notice=saved/), page.click(`form[action="${referralUrl}/complete"] button`)]);
    await switchLanguage(page, 'fr');
    expect(await page.textContent('main')).toContain('Réalisée');
    await audit(page, 'referral');
    await page.goto('/referrals');
    await audit(page, 'inbox');
    await switchLanguage(page, 'ar');
    expect(new URL(page.url()).pathname).toBe('/referrals');
    await audit(page, 'inbox');
  });

  it('counsellor: the case shows the delivery and the completed referral', async () => {
    await login(page, DEMO.counsellorOujda);
    await page.goto(referralUrl);
    const caseLink = await page.getAttribute('a[href^="/cases/"]', 'href');
    await page.goto(caseLink!);
    expect(await page.textContent('#deliveries ~ ul')).toContain('Service fourni');
    expect(await page.textContent('#referrals ~ ol')).toContain('Réalisée');
  });

  it('coordinator: the report shows the delivery (one more person reached by psychosocial services)', async () => {
    expect(pssBefore).toBeGreaterThanOrEqual(0);
    await login(page, DEMO.coordinator);
    expect(await pssTotal(page)).toBe(pssBefore + 1);
    await page.goto(`/reports?from=${year}-01-01&to=${year}-12-31&by=sex`);
    expect(await page.locator('.chart[role="img"] svg.bar').count()).toBeGreaterThan(0);
    await audit(page, 'reports');
    await switchLanguage(page, 'ar');
    await audit(page, 'reports');
  });
});
