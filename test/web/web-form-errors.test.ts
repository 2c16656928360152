import { generate } from 'otplib';
import type TestAgent from 'supertest/lib/agent.js';
import { createTestApp, DEMO, DEMO_PASSWORD, type TestApp } from '../support/test-app.js';
import { given } from '../referrals/given.js';
import { NOTE_MAX_LENGTH } from '../../src/cases/cases.constants.js';
import { browser, csrfOf, signIn } from './web-support.js';

/**
 * Every form of the app speaks (issue #20, Build 7): a post with each field invalid comes back with
 * the form, each error beside its field (aria-invalid, aria-describedby → the message), and an
 * error summary whose links name the fields by their labels in the reader's language (GOV.UK's
 * pattern), in French and in Arabic; a post with fields missing or of the wrong shape is a 4xx with
 * the form back, never a 500.
 */
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

type Body = Record<string, string | string[]>;

interface Tag {
  name: string;
  attrs: Record<string, string>;
  index: number;
}

/** The opening tags of the page, with their attributes (the pages are ours: well-formed, quoted). */
function tags(html: string): Tag[] {
  const out: Tag[] = [];
  for (const m of html.matchAll(/<([a-z][a-z0-9]*)\b([^>]*)>/g)) {
    const attrs: Record<string, string> = {};
    for (const a of m[2]!.matchAll(/([a-zA-Z_:][-a-zA-Z0-9_:.]*)(?:="([^"]*)")?/g)) attrs[a[1]!] = a[2] ?? '';
    out.push({ name: m[1]!, attrs, index: m.index! });
  }
  return out;
}

const text = (html: string) =>
  html
    .replace(/<span class="(hint|sr-only)"[^>]*>.*?<\/span>/gs, '')
    .replace(/<[^>]+>/g, '')
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();

/** The inner HTML of the element with `id` (first closing tag of the same name: enough for p, label, legend, a). */
function inner(html: string, tagName: string, id: string): string | null {
  const open = new RegExp(`<${tagName}\\b[^>]*\\bid="${id}"[^>]*>`).exec(html);
  if (!open) return null;
  const end = html.indexOf(`</${tagName}>`, open.index + open[0].length);
  return html.slice(open.index + open[0].length, end);
}

/** The control carrying the field `name`: the input/select/textarea, or the fieldset around a group of checkboxes. */
function controlOf(html: string, name: string): Tag | undefined {
  const all = tags(html);
  const controls = all.filter((x) => ['input', 'select', 'textarea'].includes(x.name) && x.attrs.name === name && x.attrs.type !== 'hidden');
  const first = controls[0];
  if (!first) return undefined;
  if (first.attrs.type !== 'checkbox' && first.attrs.type !== 'radio') return first;
  // A group: the nearest fieldset opened before it and not closed in between.
  const fieldsets = all.filter((x) => x.name === 'fieldset' && x.index < first.index && !html.slice(x.index, first.index).includes('</fieldset>'));
  return fieldsets.at(-1);
}

/** What a reader sees of field `name` on an error page; `problems` lists what is wrong (empty = right). */
function fieldProblems(html: string, name: string, lang: 'fr' | 'ar'): string[] {
  const problems: string[] = [];
  const c = controlOf(html, name);
  if (!c) return [`${name}: no control on the page`];
  const id = c.attrs.id;
  if (!id) return [`${name}: the control has no id`];
  if (c.attrs['aria-invalid'] !== 'true') problems.push(`${name}: no aria-invalid`);
  const described = (c.attrs['aria-describedby'] ?? '').split(/\s+/).filter(Boolean);
  const messageId = described.find((d) => new RegExp(`<p class="field-error" id="${d}"`).test(html));
  if (!messageId) problems.push(`${name}: aria-describedby does not point at an error message`);
  else if (!text(inner(html, 'p', messageId) ?? '')) problems.push(`${name}: empty error message`);
  const labelledBy = (c.attrs['aria-labelledby'] ?? '').split(/\s+/).filter(Boolean);
  const label = labelledBy.length ? labelledBy.map((x) => text(/^[^>]*>(.*?)<\//s.exec(html.slice(html.search(new RegExp(`\\bid="${x}"`))))?.[1] ?? '')).join(' ') : c.name === 'fieldset' ? text(/<legend\b[^>]*>(.*?)<\/legend>/s.exec(html.slice(c.index))?.[1] ?? '') : text(/<label\b[^>]*>(.*?)<\/label>/s.exec(html.slice(html.search(new RegExp(`<label\\b[^>]*for="${id}"`))))?.[1] ?? '');
  if (!label) problems.push(`${name}: no label`);
  // The summary links to the control, by its label.
  const summary = /<div class="error-summary"[^>]*>(.*?)<\/div>/s.exec(html)?.[1] ?? '';
  if (!summary) problems.push('no error summary');
  const link = new RegExp(`<a href="#${id}">(.*?)</a>`, 's').exec(summary);
  if (!link) problems.push(`${name}: not linked from the summary`);
  else {
    const said = text(link[1]!);
    if (label && !said.includes(label)) problems.push(`${name}: the summary says "${said}", the label is "${label}"`);
    if (lang === 'ar' && /[A-Za-z]{3,}/.test(said.replace(/\b(WhatsApp|Darija|e-mail)\b/g, ''))) problems.push(`${name}: Latin letters in the Arabic summary: "${said}"`);
  }
  return problems;
}

interface FormCase {
  form: string;
  as: string | null;
  /** The page showing the form (its token is taken from there). */
  page: string;
  action: string;
  /** Every field invalid at once. */
  invalid: Body;
  /** Field names that must be marked (default: the keys of `invalid`). */
  marked?: string[];
  /** What the form always carries (hidden fields, the intent) — sent with the invalid values and with "missing" posts. */
  fixed?: Body;
  method?: 'get';
  /** Runs before each post (a step a form needs, e.g. starting the second-factor enrolment). */
  before?: (agent: TestAgent) => Promise<void>;
  /** Expected status of the invalid post (400 unless the failure is of another kind). */
  status?: number;
}

let counter = 0;
async function agentFor(email: string | null): Promise<TestAgent> {
  return email ? signIn(t, email) : browser(t);
}

async function submit(agent: TestAgent, c: FormCase, body: Body, lang: 'fr' | 'ar') {
  await c.before?.(agent);
  const html = (await agent.get(`${c.page}${c.page.includes('?') ? '&' : '?'}lang=${lang}`)).text;
  const sep = c.action.includes('?') ? '&' : '?';
  if (c.method === 'get') return agent.get(`${c.action}${sep}${new URLSearchParams(Object.entries(body).flatMap(([k, v]) => [v].flat().map((x) => [k, x] as [string, string]))).toString()}&lang=${lang}`);
  return agent.post(`${c.action}${sep}lang=${lang}`).type('form').send({ _csrf: csrfOf(html), ...c.fixed, ...body });
}

async function cases(): Promise<FormCase[]> {
  const g = given(t);
  const kase = await g.caseIn(DEMO.counsellorOujda, ['mhpss']);
  const target = await g.serviceAtLocation(DEMO.providerPssOujda, 'mhpss');
  const toDecline = (await g.sentReferral()).referral;
  const toComplete = (await g.sentReferral()).referral;
  const provider = await t.as(DEMO.providerPssOujda);
  await provider.post(`/api/v1/referrals/${toComplete.id}/accept`).send({ startNow: true }).expect(200);
  const serviceId = (await t.db.query(`SELECT s.id FROM service s JOIN service_at_location sal ON sal.service_id = s.id WHERE sal.id = $1`, [target.salId])).rows[0].id as string;
  const token = 'not-a-real-token-but-long-enough-0123456789';
  const long = (n: number) => 'x'.repeat(n + 1);
  const casePage = `/cases/${kase.id}`;
  return [
    { form: 'set-password (passwords differ)', as: null, page: `/set-password?token=${token}`, action: '/set-password', fixed: { token }, invalid: { password: 'correct horse battery staple', confirm: 'another horse battery' }, marked: ['confirm'] },
    { form: 'set-password (too short)', as: null, page: `/set-password?token=${token}`, action: '/set-password', fixed: { token }, invalid: { password: 'short', confirm: 'short' }, marked: ['password'] },
    {
      form: 'new case',
      as: DEMO.counsellorOujda,
      page: '/cases/new',
      action: '/cases',
      invalid: {
        'person.givenName': long(100),
        'person.familyName': long(100),
        'person.sex': 'robot',
        'person.ageBand': 'ancient',
        'person.nationality': '12',
        'person.populationGroup': 'tourist',
        'person.provinceId': 'nowhere',
        'person.communeId': 'nowhere',
        'person.languages': 'klingon',
        'person.phone': 'call me',
        riskLevel: 'extreme',
        needs: 'teleportation',
      },
    },
    { form: 'session', as: DEMO.counsellorOujda, page: casePage, action: `${casePage}/sessions`, invalid: { sessionDate: '2026-13-01', kind: 'seance', durationMinutes: '-5', note: long(NOTE_MAX_LENGTH) } },
    { form: 'follow-up task', as: DEMO.counsellorOujda, page: casePage, action: `${casePage}/tasks`, invalid: { dueDate: 'tomorrow', description: long(1000) } },
    { form: 'consent', as: DEMO.counsellorOujda, page: casePage, action: `${casePage}/consents`, invalid: { givenBy: 'neighbour', method: 'telepathy', categories: 'magic', fields: 'religion' } },
    { form: 'incident', as: DEMO.counsellorOujda, page: casePage, action: `${casePage}/incidents`, invalid: { type: 'theft', incidentDate: 'yesterday', placeType: 'moon', timeElapsed: 'ages' } },
    { form: 'need', as: DEMO.counsellorOujda, page: casePage, action: `${casePage}/needs`, invalid: { category: 'magic' } },
    {
      form: 'person correction',
      as: DEMO.counsellorOujda,
      page: casePage,
      action: `${casePage}/person`,
      invalid: { givenName: long(100), birthDate: 'yesterday', nationality: '12', phone: 'call me', address: long(300), documentType: 'library_card', documentNumber: 'x', provinceId: 'nowhere', communeId: 'nowhere' },
    },
    {
      form: 'wizard send',
      as: DEMO.counsellorOujda,
      page: `/cases/${kase.id}/refer?need=${kase.need('mhpss')}&serviceAtLocationId=${target.salId}`,
      action: `/cases/${kase.id}/refer`,
      fixed: { needId: kase.need('mhpss'), serviceAtLocationId: target.salId, fieldsChosen: '1', intent: 'send' },
      invalid: { fields: 'religion', priority: 'whenever', noteForProvider: long(2000) },
    },
    { form: 'referrals filter', as: DEMO.counsellorOujda, page: '/referrals', action: '/referrals', method: 'get', invalid: { status: 'lost', priority: 'whenever' } },
    { form: 'second factor on the account page', as: DEMO.counsellor2Oujda, page: '/account', action: '/account/mfa/enable', before: async (a) => {
        const token = csrfOf((await a.get('/account')).text);
        await a.post('/account/mfa/start').type('form').send({ _csrf: token }).expect(200);
      }, invalid: { otp: '12ab' } },
    { form: 'provider decline', as: DEMO.providerPssOujda, page: `/referrals/${toDecline.id}`, action: `/referrals/${toDecline.id}/decline`, invalid: { reasonCode: 'bored', reasonText: long(500), noteForReferrer: long(1000) } },
    { form: 'provider complete', as: DEMO.providerPssOujda, page: `/referrals/${toComplete.id}`, action: `/referrals/${toComplete.id}/complete`, invalid: { outcomeCode: 'great', deliveredOn: 'yesterday', noteForReferrer: long(1000) } },
    {
      form: 'service edit',
      as: DEMO.providerPssOujda,
      page: `/my-services/${serviceId}`,
      action: `/my-services/${serviceId}`,
      invalid: { capacityStatus: 'overflowing', 'schedules.0.byday': 'XX', 'schedules.0.opensAt': '25:00', 'schedules.0.closesAt': 'noon', 'focalPoints.0.email': 'not-an-email', 'focalPoints.0.language': 'tlh', languages: 'klingon' },
    },
    { form: 'admin organisations', as: DEMO.admin, page: '/admin/organisations', action: '/admin/organisations', invalid: { name: 'x', type: 'club', code: 'abc1', placeId: 'nowhere' } },
    { form: 'admin users', as: DEMO.admin, page: '/admin/users', action: '/admin/users', invalid: { email: 'not-an-email', displayName: long(200), organisationId: 'nowhere', roles: 'king', language: 'tlh' } },
    { form: 'activities', as: DEMO.coordinator, page: '/activities', action: '/activities', invalid: { kind: 'party', heldOn: 'someday', placeId: 'nowhere', topic: 'ab', 'p.government.female': '-2' } },
  ];
}

let all: FormCase[];
beforeAll(async () => {
  all = await cases();
}, 120_000);

describe('every form shows each error beside its field, by its label, linked from the summary', () => {
  for (const lang of ['fr', 'ar'] as const) {
    it(`in ${lang}`, async () => {
      const report: Record<string, string[]> = {};
      for (const c of all) {
        const agent = await agentFor(c.as);
        const res = await submit(agent, c, c.invalid, lang);
        const problems: string[] = [];
        if (res.status !== (c.status ?? 400)) problems.push(`status ${res.status}`);
        if (!new RegExp(`<html lang="${lang}"`).test(res.text)) problems.push('not in the reader’s language');
        if (c.method !== 'get' && !res.text.includes(`action="${c.action}"`)) problems.push('the form is not back');
        for (const name of c.marked ?? Object.keys(c.invalid)) problems.push(...fieldProblems(res.text, name, lang));
        if (problems.length) report[c.form] = problems;
        counter++;
      }
      expect(report).toEqual({});
    }, 300_000);
  }
});

describe('a post with fields missing or of the wrong shape is a 4xx with the form back, never a 500', () => {
  it('every form', async () => {
    const report: Record<string, string[]> = {};
    for (const c of all.filter((x) => x.method !== 'get')) {
      const agent = await agentFor(c.as);
      const problems: string[] = [];
      const shapes: Array<[string, Body]> = [
        ['nothing', {}],
        // A name given twice, an object where a value is expected, a value where an object is expected.
        ['repeated and nested', Object.fromEntries(Object.keys(c.invalid).flatMap((k) => [[k, ['a', 'b']], [`${k}.x`, '1']]))],
        ['a bare object name', { person: 'x', schedules: 'x', focalPoints: 'x', p: 'x' }],
      ];
      for (const [what, body] of shapes) {
        const res = await submit(agent, c, body, 'fr');
        if (res.status >= 500) problems.push(`${what}: ${res.status}`);
        else if (res.status !== 303 && !res.text.includes(`action="${c.action}"`)) problems.push(`${what}: ${res.status} without the form`);
      }
      if (problems.length) report[c.form] = problems;
    }
    expect(report).toEqual({});
  }, 300_000);
});

describe('the second factor at sign-in', () => {
  it('a wrong or malformed code is shown beside the code field, in fr and ar', async () => {
    const email = DEMO.supervisorOujda;
    const token = (await t.http().post('/api/v1/auth/login').send({ email, password: DEMO_PASSWORD }).expect(200)).body.accessToken;
    const setup = await t.http().post('/api/v1/auth/mfa/setup').set('Authorization', `Bearer ${token}`).expect(200);
    await t.http().post('/api/v1/auth/mfa/enable').set('Authorization', `Bearer ${token}`).send({ otp: await generate({ secret: setup.body.secret }) }).expect(200);
    for (const lang of ['fr', 'ar'] as const) {
      for (const otp of ['12ab', '000000', '']) {
        const agent = browser(t);
        const login = await agent.get(`/login?lang=${lang}`);
        const step = await agent.post(`/login?lang=${lang}`).type('form').send({ _csrf: csrfOf(login.text), email, password: DEMO_PASSWORD, next: '/dashboard' });
        expect(step.text).toContain('action="/login/otp"');
        const res = await agent.post(`/login/otp?lang=${lang}`).type('form').send({ _csrf: csrfOf(step.text), otp, next: '/dashboard' });
        expect({ otp, status: res.status < 500 && res.status >= 400, form: res.text.includes('action="/login/otp"') }).toEqual({ otp, status: true, form: true });
        expect({ lang, otp, problems: fieldProblems(res.text, 'otp', lang) }).toEqual({ lang, otp, problems: [] });
      }
    }
  }, 120_000);
});
