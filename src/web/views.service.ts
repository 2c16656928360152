import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Inject, Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { Eta } from 'eta';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.js';
import type { AppAbility } from '../authorization/ability.factory.js';
import { LANGUAGES, type Actor, type Language } from '../authorization/actor.js';
import { SessionCookies } from '../auth/session-cookies.js';
import { UsersService } from '../users/users.service.js';
import { DomainError } from '../common/domain-error.js';
import { Csrf, CSRF_FIELD } from './csrf.js';
import { isLanguage, translatorFor, type Translator } from './i18n/i18n.js';
import { ASSETS_PREFIX, PUBLIC_DIR, VIEWS_DIR } from './web-paths.js';
import { wallDateOf } from '../vocabulary/index.js';
import { pick } from '../directory/taxonomy.data.js';

export interface PageRequest extends Request {
  user?: Actor;
  ability?: AppAbility;
}

export interface NavItem {
  href: string;
  label: string;
}

/** Links shown in the header, by what the caller's ability allows (features add theirs here). */
function navFor(req: PageRequest): NavItem[] {
  const a = req.ability;
  const items: NavItem[] = [{ href: '/', label: 'nav.home' }];
  if (!req.user || !a) return items;
  items.push({ href: '/dashboard', label: 'nav.dashboard' });
  if (a.can('read', 'Case')) items.push({ href: '/cases', label: 'nav.cases' });
  if (a.can('read', 'Referral')) items.push({ href: '/referrals', label: req.user.organisationType === 'service_provider' ? 'nav.inbox' : 'nav.referrals' });
  if (a.can('create', 'Organisation') && a.can('create', 'User')) {
    items.push({ href: '/admin/organisations', label: 'nav.organisations' }, { href: '/admin/users', label: 'nav.users' });
  }
  if (a.can('update', 'Service')) items.push({ href: '/my-services', label: a.can('create', 'Service') ? 'nav.directoryManage' : 'nav.myServices' });
  if (a.can('read', 'Report')) items.push({ href: '/reports', label: 'nav.reports' });
  // The factsheet is regional: for coordination bodies and the programme, not a unit's own report.
  if (a.can('read', 'Report') && req.user.organisationType !== 'counselling_unit' && req.user.organisationType !== 'service_provider') items.push({ href: '/reports/factsheet', label: 'nav.factsheet' });
  if (a.can('read', 'Activity')) items.push({ href: '/activities', label: 'nav.activities' });
  if (a.can('create', 'Import')) items.push({ href: '/imports', label: 'nav.imports' });
  if (a.can('read', 'Outbox')) items.push({ href: '/admin/outbox', label: 'nav.outbox' });
  items.push({ href: '/account', label: 'nav.account' });
  return items;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (v: unknown): string => String(v ?? '').replace(/[&<>"']/g, (c) => ESCAPES[c]!);

/** Where the error summary's links go (partials/error.eta): filled once the page knows its fields. */
export const SUMMARY_LINKS = '<!--error-summary-links-->';
/** class-validator's and our messages for an absent value, for a value too long. */
const MISSING = /should not be empty|is required|must be defined|should not be null or undefined/;
const TOO_LONG = /shorter than or equal|must not be longer|at most \d+ characters/;

const stripTags = (html: string) => html.replace(/<span class="(hint|sr-only)"[^>]*>.*?<\/span>/gs, '').replace(/<[^>]+>/g, '').replace(/\s+/g, ' ').trim();

/**
 * The error summary's list (GOV.UK's pattern): one link per invalid field the page marked, in page
 * order, named by the field's own label (or its fieldset's legend) as the page shows it — so in the
 * reader's language, never by its internal name. Fields the page has no control for are named by
 * their `field.*` label when there is one.
 */
function errorSummaryLinks(html: string, tr: Translator, marked: Array<{ name: string; id: string }>, invalid: Map<string, string>): string {
  const items: string[] = [];
  for (const { name, id } of marked) {
    const label = new RegExp(`<label\\b[^>]*\\bfor="${id}"[^>]*>(.*?)</label>`, 's').exec(html)?.[1];
    const legend = new RegExp(`<fieldset\\b[^>]*\\bid="${id}"[^>]*>\\s*<legend\\b[^>]*>(.*?)</legend>`, 's').exec(html)?.[1] ?? new RegExp(`<legend\\b[^>]*\\bid="${id}"[^>]*>(.*?)</legend>`, 's').exec(html)?.[1];
    // A control named by other elements (a table cell's row and column headers): their texts.
    const labelledBy = new RegExp(`<[a-z]+\\b[^>]*\\bid="${id}"[^>]*\\baria-labelledby="([^"]+)"`).exec(html)?.[1];
    const byOthers = labelledBy?.split(/\s+/).map((x) => stripTags(new RegExp(`\\bid="${x}"[^>]*>(.*?)</`, 's').exec(html)?.[1] ?? '')).join(' ');
    const title = stripTags(label ?? legend ?? '') || byOthers || (tr.has(`field.${name}`) ? tr.t(`field.${name}`) : '');
    items.push(`<li><a href="#${escapeHtml(id)}">${escapeHtml(title)}</a>${escapeHtml(tr.t('common.colon'))}${escapeHtml(tr.t(invalid.get(name)!))}</li>`);
  }
  for (const name of invalid.keys()) {
    if (marked.some((m) => m.name === name) || !tr.has(`field.${name}`)) continue;
    items.push(`<li>${escapeHtml(tr.t(`field.${name}`))}${escapeHtml(tr.t('common.colon'))}${escapeHtml(tr.t(invalid.get(name)!))}</li>`);
  }
  return items.length ? `<ul>${items.join('')}</ul>` : '';
}

/** A relative path on this site (for `next=` redirects); anything else becomes the fallback. */
export function safeNext(next: unknown, fallback = '/dashboard'): string {
  return typeof next === 'string' && /^\/(?![/\\])[^\s]*$/.test(next) && next.length < 500 ? next : fallback;
}

/**
 * Renders pages: Eta templates (auto-escaped) in a shared layout, in the caller's language, with
 * the anti-forgery token and the navigation their ability allows. Pages never query the
 * database: controllers hand in what the services returned.
 */
@Injectable()
export class Views {
  private readonly eta: Eta;
  readonly assets: { css: string; js: string; icon: string };

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly csrf: Csrf,
    private readonly sessions: SessionCookies,
    private readonly users: UsersService,
  ) {
    this.eta = new Eta({ views: VIEWS_DIR, cache: config.env !== 'development', autoTrim: [false, 'nl'] });
    const versioned = (file: string) => {
      const hash = createHash('sha256').update(readFileSync(join(PUBLIC_DIR, file))).digest('hex').slice(0, 12);
      return `${ASSETS_PREFIX}/${file}?v=${hash}`;
    };
    this.assets = { css: versioned('app.css'), js: versioned('app.js'), icon: versioned('favicon.svg') };
    this.publicUrl = config.publicUrl.replace(/\/$/, '');
  }

  private readonly publicUrl: string;

  /**
   * The caller as a page's reader: the language is the page's (a `?lang=` link may differ from the
   * profile's), so what a feature names for its reader (a service) matches the page around it.
   */
  reader(req: PageRequest, actor: Actor): Actor {
    const language = this.language(req);
    return language === actor.language ? actor : { ...actor, language };
  }

  /**
   * The page's language: a `?lang=` link first (shareable, printable on a poster), then the
   * signed-in user's own, then the visitor's cookie, then the browser's Accept-Language, then French.
   */
  language(req: PageRequest): Language {
    const asked = req.query?.lang;
    if (isLanguage(asked)) return asked;
    if (req.user) return req.user.language;
    const cookie = this.sessions.cookie(req, this.sessions.names.lang);
    if (isLanguage(cookie)) return cookie;
    const accepted = typeof req.acceptsLanguages === 'function' ? req.acceptsLanguages(...LANGUAGES) : false;
    return isLanguage(accepted) ? accepted : 'fr';
  }

  /** The same page in another language (for the switcher's links and `hreflang` alternates). */
  private withLanguage(req: PageRequest, lang: Language): string {
    const url = new URL(req.originalUrl ?? req.url, 'http://x');
    url.searchParams.set('lang', lang);
    return `${url.pathname}${url.search}`;
  }

  translator(req: PageRequest): Translator {
    return translatorFor(this.language(req));
  }

  /** Renders `view` in the layout and sends it. No page is cached (issue #12): signed-in pages hold personal data, the others a CSRF token. */
  async send(req: PageRequest, res: Response, view: string, data: Record<string, unknown> = {}, status = 200): Promise<void> {
    const html = await this.render(req, res, view, data);
    // A visitor who followed a `?lang=` link keeps the language on the next pages (and after signing in).
    const asked = req.query?.lang;
    if (!req.user && isLanguage(asked) && this.sessions.cookie(req, this.sessions.names.lang) !== asked) {
      res.cookie(this.sessions.names.lang, asked, this.sessions.options(365 * 86_400_000));
    }
    res.status(status);
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Vary', 'Cookie, Accept-Language');
    res.type('html').send(html);
  }

  async render(req: PageRequest, res: Response, view: string, data: Record<string, unknown> = {}): Promise<string> {
    const tr = this.translator(req);
    const me = req.user ? await this.users.me(req.user).catch(() => null) : null;
    const error: { message?: string; fields?: string[]; problems?: Record<string, string> } | null =
      data.error instanceof DomainError ? this.describeError(tr, data.error, typeof data.form === 'string' ? data.form : undefined) : ((data.error as { message?: string; fields?: string[] } | null | undefined) ?? null);
    // Fields to mark invalid, each with the message shown beside it: those the error names, and any the page maps itself (`invalid`).
    const invalid = new Map<string, string>();
    for (const f of data.invalid instanceof Set ? (data.invalid as Set<string>) : []) invalid.set(f, 'form.fieldInvalid');
    // A field posted empty is missing, whatever the validator said of it ("must be a string").
    const posted = data.values && typeof data.values === 'object' ? (data.values as Record<string, unknown>) : null;
    const empty = (f: string) => posted !== null && [posted[f]].flat().every((x) => x === undefined || x === '');
    for (const f of error?.fields ?? []) invalid.set(f, empty(f) ? 'form.fieldMissing' : (error?.problems?.[f] ?? 'form.fieldInvalid'));
    // The fields this page marked, in page order: the error summary links to them (see `errorSummary`).
    const marked: Array<{ name: string; id: string }> = [];
    /** `hint`: the id of a hint the field is always described by (its error, when it has one, comes after). */
    const fieldAttrs = (name: string, id: string, hint?: string) => {
      const hinted = hint ? `${escapeHtml(hint)} ` : '';
      if (!invalid.has(name)) return hint ? ` aria-describedby="${escapeHtml(hint)}"` : '';
      if (!marked.some((m) => m.name === name)) marked.push({ name, id });
      return ` aria-invalid="true" aria-describedby="${hinted}${escapeHtml(id)}-err"`;
    };
    const fieldError = (name: string, id: string) => (invalid.has(name) ? `<p class="field-error" id="${escapeHtml(id)}-err"><span class="sr-only">${escapeHtml(tr.t('form.errorPrefix'))} </span>${escapeHtml(tr.t(invalid.get(name)!))}</p>` : '');
    const notice = typeof req.query?.notice === 'string' && tr.has(`notice.${req.query.notice}`) ? `notice.${req.query.notice}` : null;
    /** A text held in several languages ({fr, ar…}) in the reader's, else French (directory `pick`). */
    const inLanguage = (texts: Parameters<typeof pick>[0]) => pick(texts, tr.lang) ?? '';
    const it = {
      ...data,
      t: tr.t,
      /** HTML-escapes a value for the few places that build markup around it (e.g. <bdi> in a message). */
      e: escapeHtml,
      /** A need or service category, by its case code (health_care…). */
      categoryLabel: (code: string) => tr.t(`category.${code}`),
      /** A country, by its ISO 3166 code, in the reader's language. */
      country: (code: string) => tr.country(code),
      /** Today in Morocco (the default of date fields), not in UTC. */
      today: wallDateOf(new Date()),
      inLanguage,
      fmt: tr,
      lang: tr.lang,
      dir: tr.dir,
      csrf: this.csrf.token(req, res),
      csrfField: CSRF_FIELD,
      me: me && { name: me.displayName, organisation: inLanguage({ fr: me.organisation.name, ar: me.organisation.nameAr }), mfa: me.mfaEnabled },
      user: req.user ?? null,
      ability: req.ability ?? null,
      nav: navFor(req),
      path: req.originalUrl ?? req.url,
      /** The page in each language (`?lang=`): the switcher's links for visitors, `hreflang` alternates. */
      alternates: LANGUAGES.map((l) => ({ lang: l, href: this.withLanguage(req, l) })),
      publicUrl: this.publicUrl,
      pathname: req.path,
      assets: this.assets,
      notice,
      error,
      /** Attributes marking input `id` (named `name`) invalid and pointing at its message. */
      fieldAttrs,
      /** The message shown next to an invalid field. */
      fieldError,
      /**
       * The same two for one form of a page with several (`it.form` names the one posted): the
       * others' fields of the same name stay unmarked.
       */
      formFields: (form: string) => (data.form === form ? { attrs: fieldAttrs, error: fieldError } : { attrs: (_n: string, _i: string, hint?: string) => (hint ? ` aria-describedby="${escapeHtml(hint)}"` : ''), error: () => '' }),
    };
    const html = await this.eta.renderAsync(view, it);
    return error ? html.replace(SUMMARY_LINKS, () => errorSummaryLinks(html, tr, marked, invalid)) : html;
  }

  /**
   * A domain error in the reader's language: the message for its code, the fields it names and,
   * for each, the message shown beside it (a missing value or a wrong one). A page with several
   * forms may word a code for one of them (`error.<form>.<CODE>`), e.g. a consent error that has
   * nothing to record "below".
   */
  describeError(tr: Translator, e: DomainError, form?: string): { message: string; fields: string[]; problems: Record<string, string> } {
    const key = form && tr.has(`error.${form}.${e.code}`) ? `error.${form}.${e.code}` : `error.${e.code}`;
    const problems: Record<string, string> = {};
    for (const f of e.errors ?? []) problems[f.field] ??= MISSING.test(f.message) ? 'form.fieldMissing' : TOO_LONG.test(f.message) ? 'form.fieldTooLong' : 'form.fieldInvalid';
    return { message: tr.has(key) ? tr.t(key) : tr.t('error.generic'), fields: Object.keys(problems), problems };
  }
}
