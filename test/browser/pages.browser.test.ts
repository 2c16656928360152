import type { BrowserContext, Page } from 'playwright-core';
import { DEMO } from '../support/test-app.js';
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
    results.dashboard = await checkPage(lang, 'dashboard', '/dashboard');
    results.cases = await checkPage(lang, 'cases', '/cases');
    results.case = await checkPage(lang, 'case', caseUrl);
    if (lang === 'fr') {
      await page.click('button.link'); // sign out
      await login(page, DEMO.admin);
      results.users = await checkPage(lang, 'admin-users', '/admin/users');
    }
    for (const [name, r] of Object.entries(results)) {
      expect({ name, violations: r.violations }).toEqual({ name, violations: [] });
      expect({ name, fits: r.fits }).toEqual({ name, fits: true });
      expect(r.bytes).toBeGreaterThan(1000);
      expect(r.bytes).toBeLessThan(PAGE_BUDGET);
    }
  });
});
