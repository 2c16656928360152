import { generate } from 'otplib';
import { createTestApp, DEMO, DEMO_PASSWORD, type TestApp } from '../support/test-app.js';
import { browser, csrfOf, postForm, signIn } from './web-support.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe('sign-in with a second factor, through the pages', () => {
  it('asks for the code after the password, without carrying the password, then signs in', async () => {
    const email = DEMO.providerLegalBerkane;
    const api = await t.as(email);
    const setup = await api.post('/api/v1/auth/mfa/setup').expect(200);
    await api.post('/api/v1/auth/mfa/enable').send({ otp: await generate({ secret: setup.body.secret }) }).expect(200);

    const agent = browser(t);
    const step1 = await postForm(agent, '/login', '/login', { email, password: DEMO_PASSWORD, next: '/dashboard' });
    expect(step1.status).toBe(200);
    expect(step1.text).toContain('Code de vérification');
    expect(step1.text).not.toContain(DEMO_PASSWORD);
    const wrong = await agent.post('/login/otp').type('form').send({ _csrf: csrfOf(step1.text), otp: '000000', next: '/dashboard' });
    expect(wrong.status).toBe(401);
    expect(wrong.text).toContain('Code incorrect ou expiré.');
    const ok = await agent.post('/login/otp').type('form').send({ _csrf: csrfOf(wrong.text), otp: await generate({ secret: setup.body.secret }), next: '/dashboard' });
    expect(ok.status).toBe(303);
    expect(ok.headers.location).toBe('/dashboard');
    await agent.get('/dashboard').expect(200);
  });

  it('refuses the code step without the ticket of a password step', async () => {
    const agent = browser(t);
    const res = await postForm(agent, '/login', '/login/otp', { otp: '123456' });
    expect(res.status).toBe(401);
    expect(res.text).toContain('La connexion a pris trop de temps');
  });
});

describe('administration pages', () => {
  it('are closed to other roles (403 page) and to visitors (sign-in)', async () => {
    await browser(t).get('/admin/users').expect(303).expect('location', '/login?next=%2Fadmin%2Fusers');
    const counsellor = await signIn(t, DEMO.counsellorOujda);
    const res = await counsellor.get('/admin/users').expect(403);
    expect(res.text).toContain('Accès refusé');
    await counsellor.get('/admin/outbox').expect(403);
  });

  it('invites a user (e-mail in the outbox), re-renders the form on errors, disables and re-enables', async () => {
    const admin = await signIn(t, DEMO.admin);
    const { rows: orgs } = await t.db.query(`SELECT id FROM organisation WHERE code = 'OUJ'`);
    const invite = { email: 'new.counsellor@tawjih.test', displayName: 'Nouvelle conseillère', organisationId: orgs[0].id, roles: ['counsellor'], language: 'ar' };

    const bad = await postForm(admin, '/admin/users', '/admin/users', { ...invite, roles: ['provider'] });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('Ce rôle n’est pas possible dans ce type d’organisation.');
    expect(bad.text).toContain('value="new.counsellor@tawjih.test"');

    const ok = await postForm(admin, '/admin/users', '/admin/users', invite);
    expect(ok.status).toBe(303);
    const { rows: users } = await t.db.query(`SELECT id, status, language FROM app_user WHERE email = $1`, [invite.email]);
    expect(users[0]).toMatchObject({ status: 'invited', language: 'ar' });
    const { rows: mails } = await t.db.query(`SELECT kind FROM outbox_message WHERE recipient = $1`, [invite.email]);
    expect(mails.length).toBe(1);

    const list = await admin.get('/admin/users?notice=userInvited').expect(200);
    expect(list.text).toContain('Invitation envoyée.');
    expect(list.text).toContain('Nouvelle conseillère');

    expect((await postForm(admin, '/admin/users', `/admin/users/${users[0].id}/disable`, {})).status).toBe(303);
    expect((await t.db.query(`SELECT status FROM app_user WHERE id = $1`, [users[0].id])).rows[0].status).toBe('disabled');
    expect((await postForm(admin, '/admin/users', `/admin/users/${users[0].id}/enable`, {})).status).toBe(303);
    expect((await t.db.query(`SELECT status FROM app_user WHERE id = $1`, [users[0].id])).rows[0].status).toBe('invited');
  });

  it('creates an organisation and lists failed e-mails with a retry', async () => {
    const admin = await signIn(t, DEMO.admin);
    const { rows: places } = await t.db.query(`SELECT id FROM place WHERE code = 'MA-BER'`);
    const created = await postForm(admin, '/admin/organisations', '/admin/organisations', { name: 'Association test Berkane', nameAr: 'جمعية اختبار بركان', type: 'service_provider', placeId: places[0].id });
    expect(created.status).toBe(303);
    const fr = (await admin.get('/admin/organisations').expect(200)).text;
    expect(fr).toContain('Association test Berkane');
    expect(fr).not.toContain('جمعية اختبار بركان');
    // Read in Arabic, the name the organisation holds in Arabic; the others keep their French.
    const ar = (await admin.get('/admin/organisations?lang=ar').expect(200)).text;
    expect(ar).toContain('جمعية اختبار بركان');
    expect(ar).not.toContain('Association test Berkane');

    // The Arabic name of an existing organisation: changed, then removed (Arabic readers then get the French).
    const { rows: orgRows } = await t.db.query(`SELECT id FROM organisation WHERE name = 'Association test Berkane'`);
    const orgId = orgRows[0].id as string;
    expect(fr).toContain(`href="/admin/organisations/${orgId}"`);
    const form = (await admin.get(`/admin/organisations/${orgId}`).expect(200)).text;
    expect(form).toContain('value="جمعية اختبار بركان"');
    const renamed = await postForm(admin, `/admin/organisations/${orgId}`, `/admin/organisations/${orgId}`, { name: 'Association test Berkane', nameAr: 'جمعية الاختبار ببركان' });
    expect(renamed.status).toBe(303);
    expect((await admin.get('/admin/organisations?lang=ar').expect(200)).text).toContain('جمعية الاختبار ببركان');
    const tooShort = await postForm(admin, `/admin/organisations/${orgId}`, `/admin/organisations/${orgId}`, { name: 'Association test Berkane', nameAr: 'ج' });
    expect(tooShort.status).toBe(400);
    expect(tooShort.text).toContain('id="org-name-ar-err"');
    const removed = await postForm(admin, `/admin/organisations/${orgId}`, `/admin/organisations/${orgId}`, { name: 'Association test Berkane', nameAr: '' });
    expect(removed.status).toBe(303);
    expect((await t.db.query(`SELECT name_ar FROM organisation WHERE id = $1`, [orgId])).rows[0].name_ar).toBeNull();
    expect((await admin.get('/admin/organisations?lang=ar').expect(200)).text).toContain('Association test Berkane');
    // The API does the same: PATCH with nameAr, then null.
    const api = await t.as(DEMO.admin);
    expect((await api.patch(`/api/v1/organisations/${orgId}`).send({ nameAr: 'جمعية بركان' }).expect(200)).body).toMatchObject({ nameAr: 'جمعية بركان' });
    expect((await api.patch(`/api/v1/organisations/${orgId}`).send({ nameAr: null }).expect(200)).body).toMatchObject({ nameAr: null, name: 'Association test Berkane' });

    const { rows } = await t.db.query(
      `INSERT INTO outbox_message (recipient, subject, body, kind, status, attempts, last_error) VALUES ('x@tawjih.test', 's', 'b', 'referral.accept', 'failed', 8, 'connection refused') RETURNING id`,
    );
    const outbox = await admin.get('/admin/outbox').expect(200);
    expect(outbox.text).toContain('connection refused');
    // What the message was about, in words (the vocabulary's message kinds), never the code.
    expect(outbox.text).toContain('Orientation acceptée');
    expect(outbox.text).not.toContain('referral.accept');
    const retried = await postForm(admin, '/admin/outbox', `/admin/outbox/${rows[0].id}/retry`, {});
    expect(retried.status).toBe(303);
    expect((await t.db.query(`SELECT status FROM outbox_message WHERE id = $1`, [rows[0].id])).rows[0].status).toBe('pending');
  });
});

describe('set-password page (the invitation link)', () => {
  it('sets the password from the e-mailed token, then the account can sign in', async () => {
    const api = await t.as(DEMO.admin);
    const { rows: orgs } = await t.db.query(`SELECT id FROM organisation WHERE code = 'BRK'`);
    const created = await api.post('/api/v1/users').send({ email: 'invitee@tawjih.test', displayName: 'Invitee', organisationId: orgs[0].id, roles: ['counsellor'] }).expect(201);
    const { rows } = await t.db.query(`SELECT body FROM outbox_message WHERE recipient = 'invitee@tawjih.test'`);
    const link = /\/set-password\?token=([\w.-]+)/.exec(rows[0].body);
    expect(link).not.toBeNull();
    const agent = browser(t);
    const page = await agent.get(`/set-password?token=${link![1]}`).expect(200);
    const mismatch = await agent.post('/set-password').type('form').send({ _csrf: csrfOf(page.text), token: link![1], password: 'A-good-Passw0rd!', confirm: 'different' });
    expect(mismatch.status).toBe(400);
    const done = await agent.post('/set-password').type('form').send({ _csrf: csrfOf(mismatch.text), token: link![1], password: 'A-good-Passw0rd!', confirm: 'A-good-Passw0rd!' });
    expect(done.status).toBe(303);
    expect(done.headers.location).toBe('/login?notice=passwordSet');
    expect(created.body.id).toBeDefined();
    await signIn(t, 'invitee@tawjih.test', 'A-good-Passw0rd!');
  });
});
