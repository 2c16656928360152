import { randomInt } from 'node:crypto';
import type { Page } from 'playwright-core';
import { given } from '../cases/given.js';
import { registerXlsx } from '../imports/sheets.js';
import { DEMO } from '../support/test-app.js';
import { axe, describeBrowser, fitsItsBoxAtNarrowScreen, fitsNarrowScreen, login, screenshots, startRig, type BrowserRig } from './browser-support.js';

/**
 * A supervisor brings the unit's register in through the pages, in French and in Arabic: upload,
 * review (counts, row problems, column mapping), import with its progress, undo. Every step passes
 * axe and fits 360 px.
 */
let rig: BrowserRig;
let existingPhone: string;

const TEXT = {
  fr: { done: 'Importé', undone: 'Import annulé', reason: 'Date illisible', dup: 'Probable doublon d’une personne déjà suivie' },
  ar: { done: 'تم الاستيراد', undone: 'ألغي', reason: 'تاريخ غير مقروء', dup: 'تكرار محتمل لشخص متابع من قبل' },
} as const;

async function check(page: Page, name: string) {
  expect(await axe(page)).toEqual([]);
  expect(await fitsNarrowScreen(page)).toBe(true);
  await screenshots(page, name);
}

describeBrowser('register import pages (Chromium)', () => {
  beforeAll(async () => {
    rig = await startRig();
    existingPhone = `06${randomInt(10_000_000, 99_999_999)}`;
    await given(rig.t).caseFor(DEMO.counsellorOujda, { givenName: 'Déjà', phone: existingPhone });
  }, 400_000);
  afterAll(() => rig?.close());

  it.each(['fr', 'ar'] as const)('a supervisor uploads, maps, reviews, imports and undoes a register (%s)', async (lang) => {
    await (await rig.t.as(DEMO.supervisorOujda)).patch('/api/v1/me').send({ language: lang }).expect(200);
    const ctx = await rig.context(lang);
    const page = await ctx.newPage();
    page.on('dialog', (d) => void d.accept());
    await login(page, DEMO.supervisorOujda);
    await page.goto('/imports');
    expect(await page.getAttribute('html', 'dir')).toBe(lang === 'ar' ? 'rtl' : 'ltr');
    await check(page, `imports-${lang}`);

    // Upload: the dry run.
    const sheet = await registerXlsx(lang === 'fr' ? 'B' : 'C', existingPhone);
    await page.setInputFiles('#i-file', { name: 'registre.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: sheet });
    await Promise.all([page.waitForURL(/\/imports\/[0-9a-f-]{36}$/), page.click('form[action="/imports"] button[type="submit"]')]);
    expect(await page.textContent('#count-rows')).toBe('9');
    expect(await page.textContent('#count-to-import')).toBe('4');
    const issues = await page.textContent('table.issues');
    expect(issues).toContain(TEXT[lang].reason);
    expect(issues).toContain(TEXT[lang].dup);
    await check(page, `imports-review-${lang}`);
    // On a phone the mapping and the row problems read as cards: no column choice is cut off in a sideways scroller.
    expect(await fitsItsBoxAtNarrowScreen(page, 'form[action$="/mapping"] .table-wrap')).toBe(true);
    expect(await fitsItsBoxAtNarrowScreen(page, 'table.issues')).toBe(true);

    // Map: leave out the livelihood outcome column (K), check again.
    const first = page.url();
    await page.selectOption('select[name="col.K"]', '');
    await Promise.all([page.waitForURL((u) => u.href !== first && /\/imports\/[0-9a-f-]{36}$/.test(u.pathname)), page.click('form[action$="/mapping"] button[type="submit"]')]);
    expect(await page.inputValue('select[name="col.K"]')).toBe('');
    expect(await page.inputValue('select[name="col.B"]')).toBe('givenName');

    // Import; the page reloads itself (Refresh header) while the import runs, until it is done.
    await page.click('form[action$="/run"] button[type="submit"]');
    const statusLine = () => page.textContent('.status-line').catch(() => null); // null while the page reloads
    for (let i = 0; i < 240 && !(await statusLine())?.includes(TEXT[lang].done); i++) await page.waitForTimeout(500);
    await page.waitForLoadState('load');
    expect(await page.textContent('.status-line')).toContain(TEXT[lang].done);
    // What was written, as "label: n" (no "1 personnes").
    expect(await page.locator('ul.counts li').count()).toBe(5);
    await check(page, `imports-done-${lang}`);

    // Undo within the window.
    await Promise.all([page.waitForLoadState('load'), page.click('form[action$="/undo"] button[type="submit"]')]);
    expect(await page.textContent('.status-line')).toContain(TEXT[lang].undone);
    await ctx.close();
  });
});
