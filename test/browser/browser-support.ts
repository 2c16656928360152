import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type BrowserContext, type Page, type Request } from 'playwright-core';
import { createTestApp, DEMO_PASSWORD, type TestApp } from '../support/test-app.js';

export const CHROMIUM = '/usr/bin/chromium';
export const ARTIFACTS = 'test/artifacts/screenshots';

/**
 * Browser tests run where Debian's Chromium is installed (test/browser/ensure-chromium.sh; CI
 * installs it). Elsewhere they skip with a message — except under CI, where a missing browser fails.
 */
export function describeBrowser(name: string, fn: () => void): void {
  if (existsSync(CHROMIUM)) return describe(name, fn);
  if (process.env.CI) {
    describe(name, () => {
      it('needs Chromium', () => {
        throw new Error(`${CHROMIUM} is missing: run test/browser/ensure-chromium.sh`);
      });
    });
    return;
  }
  process.stderr.write(`\n[browser tests skipped] ${name}: ${CHROMIUM} not found (run test/browser/ensure-chromium.sh)\n`);
  describe.skip(name, fn);
}

export interface BrowserRig {
  t: TestApp;
  browser: Browser;
  base: string;
  /** A fresh browser context (own cookies), `lang` set on the visitor's language cookie. */
  context(lang?: 'fr' | 'ar' | 'en'): Promise<BrowserContext>;
  close(): Promise<void>;
}

export async function startRig(env: Record<string, string> = {}): Promise<BrowserRig> {
  const t = await createTestApp(env);
  await t.app.listen(0, '127.0.0.1');
  const { port } = t.app.getHttpServer().address() as AddressInfo;
  const base = `http://127.0.0.1:${port}`;
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const context = async (lang: 'fr' | 'ar' | 'en' = 'fr') => {
    const ctx = await browser.newContext({ baseURL: base, viewport: { width: 1280, height: 900 } });
    await ctx.addCookies([{ name: 'tawjih_lang', value: lang, url: base }]);
    return ctx;
  };
  return {
    t,
    browser,
    base,
    context,
    close: async () => {
      await browser.close();
      await t.close();
    },
  };
}

export async function login(page: Page, email: string, password = DEMO_PASSWORD): Promise<void> {
  await page.goto('/login');
  await page.fill('#email', email);
  await page.fill('#password', password);
  await Promise.all([page.waitForURL((u) => !u.pathname.startsWith('/login')), page.click('form[action="/login"] button[type="submit"]')]);
}

const axeSource = readFileSync(join(createRequire(import.meta.url).resolve('axe-core'), '..', 'axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: string[] }>;
}

/** axe-core's WCAG 2.x A/AA rules on the current page (injected through DevTools, so the page's CSP stays on). */
export async function axe(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(axeSource);
  // Strings, not functions: the test code is type-checked without the DOM library.
  return page.evaluate(`axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] } })
    .then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target })) })))`) as Promise<AxeViolation[]>;
}

/** Screenshots of the current page at 360 px and 1280 px wide, under test/artifacts/screenshots. */
export async function screenshots(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  for (const width of [360, 1280]) {
    await page.setViewportSize({ width, height: 800 });
    await page.screenshot({ path: join(ARTIFACTS, `${name}-${width}.png`), fullPage: true });
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}

/** Whether the page fits 360 px: no horizontal scrolling of the document. */
export async function fitsNarrowScreen(page: Page): Promise<boolean> {
  await page.setViewportSize({ width: 360, height: 800 });
  const fits = (await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth + 1')) as boolean;
  await page.setViewportSize({ width: 1280, height: 900 });
  return fits;
}

/** Whether every element matching `selector` fits its own width at 360 px (a table in a scroller cuts nothing off). */
export async function fitsItsBoxAtNarrowScreen(page: Page, selector: string): Promise<boolean> {
  await page.setViewportSize({ width: 360, height: 800 });
  const fits = await page.locator(selector).evaluateAll((els) => els.length > 0 && els.every((e) => e.scrollWidth <= e.clientWidth + 1));
  await page.setViewportSize({ width: 1280, height: 900 });
  return fits;
}

/** Loads `url` with a cold cache (a new context with the same cookies) and returns the bytes transferred. */
export async function transferredBytes(browser: Browser, ctx: BrowserContext, url: string): Promise<number> {
  const cold = await browser.newContext({ baseURL: ctx.pages()[0]?.url() ? new URL(ctx.pages()[0]!.url()).origin : undefined, storageState: await ctx.storageState() });
  const page = await cold.newPage();
  const sizes: Array<Promise<number>> = [];
  const count = (req: Request) => sizes.push(req.sizes().then((s) => s.responseBodySize + s.responseHeadersSize));
  page.on('requestfinished', count);
  // The page's icon is fetched after 'load': wait until the network is quiet so it is counted, and
  // stop listening before the context closes (a size asked of a closed page rejects, unhandled).
  await page.goto(url, { waitUntil: 'networkidle' });
  page.off('requestfinished', count);
  const total = (await Promise.all(sizes)).reduce((a, b) => a + b, 0);
  await cold.close();
  return total;
}
