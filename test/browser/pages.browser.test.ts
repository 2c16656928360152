import type { BrowserContext, Page } from 'playwright-core';
import { DEMO } from '../support/test-app.js';
import { demoServiceId } from '../../src/directory/directory.seeder.js';
import { axe, describeBrowser, fitsNarrowScreen, login, screenshots, startRig, transferredBytes, type AxeViolation, type BrowserRig } from './browser-support.js';

const PAGE_BUDGET = 150 * 1024;

let rig: BrowserRig;
const contexts: Partial<Record<'fr' | 'ar', BrowserContext>> = {};
const pages: Partial<Record<'fr' | 'ar', Page>> = {};

/** axe, screenshots at 360/1280, the 360 px fit and the weight of one page, in one language. */
async function checkPage(lang: 'fr' | 'ar', name: string, url: string): Promise<{ violations: AxeViolation[]; fits: boolean; bytes: number }> {
  const page = pages[lang]!;
  await page.goto(url);
  expect(await page.getAttribute('html', 'lang')).toBe(lang);
  expect(await page.getAttribute('html', 'dir')).toBe(lang === 'ar' ? 'rtl' : 'ltr');
  const violations = await axe(page);
  await screenshots(page, `${name}-${lang}`);
  return { violations, fits: await fitsNarrowScreen(page), bytes: await transferredBytes(rig.browser, contexts[lang]!, url) };
}

describeBrowser('pages in a browser (Chromium)', () => {
  beforeAll(async () => {
    rig = await startRig();
    for (const lang of ['fr', 'ar'] as const) {
      contexts[lang] = await rig.context(lang);
      pages[lang] = await contexts[lang]!.newPage();
    }
  }, 120_000);
  afterAll(() => rig?.close());

  it('shows a failed sign-in as an error on the form', async () => {
    const page = pages.fr!;
    await page.goto('/login');
    await page.fill('#email', DEMO.counsellorOujda);
    await page.fill('#password', 'not-the-password-1');
    await page.click('form[action="/login"] button[type="submit"]');
    expect(await page.textContent('[role="alert"]')).toContain('Adresse e-mail ou mot de passe incorrect.');
    expect(new URL(page.url()).pathname).toBe('/login');
  });

  it('refuses a form posted without its anti-forgery token, with a page that says so', async () => {
    const page = pages.fr!;
    await page.goto('/login');
    await page.evaluate(`document.querySelectorAll('input[name="_csrf"]').forEach((i) => i.remove())`);
    await page.fill('#email', DEMO.counsellorOujda);
    await page.fill('#password', 'whatever-it-is-1');
    const [response] = await Promise.all([page.waitForResponse((r) => r.url().endsWith('/login') && r.request().method() === 'POST'), page.click('form[action="/login"] button[type="submit"]')]);
    expect(response.status()).toBe(403);
    expect(await page.textContent('h1')).toBe('Formulaire expiré');
  });

  it('axe reports a violation when there is one (the check can fail)', async () => {
    const page = pages.fr!;
    await page.goto('/login');
    await page.evaluate(`document.querySelector('label[for="email"]').remove()`);
    expect((await axe(page)).map((v) => v.id)).toContain('label');
  });

  it.each(['fr', 'ar'] as const)('directory, service, login, dashboard, case list and case page pass axe, fit 360 px and weigh under 150 KB (%s)', async (lang) => {
    const results: Record<string, Awaited<ReturnType<typeof checkPage>>> = {};
    const page = pages[lang]!;
    results.directory = await checkPage(lang, 'directory', '/?category=mhpss');
    await page.click('.results a');
    results.service = await checkPage(lang, 'service', new URL(page.url()).pathname);
    results.login = await checkPage(lang, 'login', '/login');
    await login(page, lang === 'fr' ? DEMO.counsellorOujda : DEMO.counsellorBerkane);
    // A case through the form, as a counsellor does it.
    await page.goto('/cases/new');
    await page.fill('#p-given', lang === 'fr' ? 'Awa' : 'مريم');
    await page.selectOption('#p-sex', 'female');
    await page.check('input[name="needs"][value="mhpss"]');
    await Promise.all([page.waitForURL(/\/cases\/[0-9a-f-]{36}/), page.click('form[action="/cases"] button[type="submit"]')]);
    const caseUrl = new URL(page.url()).pathname;
    // A follow-up due yesterday, so that the dashboard's follow-ups card shows a row with its Done button.
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    await (await rig.t.as(lang === 'fr' ? DEMO.counsellorOujda : DEMO.counsellorBerkane))
      .post(`/api/v1${caseUrl}/tasks`)
      .send({ dueDate: yesterday, description: 'Rappeler' })
      .expect(201);
    results.dashboard = await checkPage(lang, 'dashboard', '/dashboard');
    results.cases = await checkPage(lang, 'cases', '/cases');
    results.case = await checkPage(lang, 'case', caseUrl);
    if (lang === 'fr') {
      await page.click('button.link'); // sign out
      await login(page, DEMO.admin);
      results.users = await checkPage(lang, 'admin-users', '/admin/users');
      await page.goto('/admin/organisations');
      const org = await page.getAttribute('a[href^="/admin/organisations/"]', 'href');
      results.organisation = await checkPage(lang, 'admin-organisation', org!);
    }
    expectAllPass(results);
  });

  it.each(['fr', 'ar'] as const)('activities and directory-management pages (coordinator) pass axe, fit 360 px and weigh under 150 KB (%s)', async (lang) => {
    const page = pages[lang]!;
    await page.goto('/dashboard');
    if (await page.$('button.link')) await Promise.all([page.waitForURL(/\/login/), page.click('button.link')]); // sign out
    await login(page, DEMO.coordinator);
    if (lang === 'ar') await Promise.all([page.waitForResponse((r) => r.url().endsWith('/language')), page.click('form.lang button[value="ar"]')]);
    await page.goto('/activities');
    // Server-side errors beside the fields (the browser's own checks switched off to reach them).
    await page.evaluate(`document.querySelector('form[action="/activities"]').noValidate = true`);
    await page.fill('#a-topic', 'ab');
    await page.fill('#c-government-female', '-1');
    await Promise.all([page.waitForResponse((r) => r.url().endsWith('/activities') && r.request().method() === 'POST'), page.click('form[action="/activities"] button[type="submit"]')]);
    await page.waitForSelector('#a-topic[aria-invalid="true"]');
    expect(await page.getAttribute('#c-government-female', 'aria-invalid')).toBe('true');
    const errorState = await axe(page);
    await screenshots(page, `activities-errors-${lang}`);
    // Then a real one.
    await page.selectOption('#a-kind', 'training');
    await page.fill('#a-date', '2026-03-01');
    await page.selectOption('#a-place', { index: 1 });
    await page.fill('#a-topic', lang === 'fr' ? 'Formation des points focaux' : 'تكوين نقط الارتكاز');
    await page.fill('#c-government-female', '4');
    await page.fill('#c-civil_society-male', '3');
    await Promise.all([page.waitForURL(/notice=activityRecorded/), page.click('form[action="/activities"] button[type="submit"]')]);
    const results: Record<string, Awaited<ReturnType<typeof checkPage>>> = {};
    results.activities = await checkPage(lang, 'activities', '/activities');
    results.services = await checkPage(lang, 'my-services', '/my-services');
    results.serviceNew = await checkPage(lang, 'service-new', '/my-services/new');
    // A service's page with its names and descriptions in three languages (the coordinator may change them).
    results.serviceEdit = await checkPage(lang, 'service-edit', `/my-services/${demoServiceId('oujda-pss-individual')}`);
    expect(errorState).toEqual([]);
    expectAllPass(results);
  });
});

function expectAllPass(results: Record<string, { violations: AxeViolation[]; fits: boolean; bytes: number }>): void {
  for (const [name, r] of Object.entries(results)) {
    expect({ name, violations: r.violations }).toEqual({ name, violations: [] });
    expect({ name, fits: r.fits }).toEqual({ name, fits: true });
    expect(r.bytes).toBeGreaterThan(1000);
    expect(r.bytes).toBeLessThan(PAGE_BUDGET);
  }
}
