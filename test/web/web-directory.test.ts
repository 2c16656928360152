import { createTestApp, DEMO, type TestApp } from '../support/test-app.js';
import { browser, postForm, signIn } from './web-support.js';
import { demoServiceId } from '../../src/directory/directory.seeder.js';
import { DEMO_SERVICES } from '../../src/directory/demo-directory.data.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe('public directory pages', () => {
  it('searches without signing in, by need, city and flags, showing public services only', async () => {
    const all = await browser(t).get('/').expect(200);
    expect(all.text).toContain('Trouver un service');
    const { rows: tiers } = await t.db.query(`SELECT id, tier FROM service WHERE status = 'active'`);
    const hidden = tiers.filter((s) => s.tier !== 'public').map((s) => s.id as string);
    const shown = tiers.filter((s) => s.tier === 'public').map((s) => s.id as string);
    expect(hidden.length).toBeGreaterThan(0);
    for (const id of hidden) expect(all.text).not.toContain(`/services/${id}`);
    expect(shown.some((id) => all.text.includes(`/services/${id}`))).toBe(true);

    const filtered = await browser(t).get('/?category=mhpss&province=MA-OUJ&free=true').expect(200);
    expect(filtered.text).toMatch(/service\(s\) trouvé\(s\)/);
    expect(filtered.text).toContain('<option value="mhpss" selected>');
  });

  it('shows the same public-only results to a signed-in counsellor (the page always uses the anonymous ability)', async () => {
    const counsellor = await signIn(t, DEMO.counsellorOujda);
    const page = await counsellor.get('/').expect(200);
    const { rows } = await t.db.query(`SELECT id FROM service WHERE tier <> 'public'`);
    for (const r of rows) expect(page.text).not.toContain(`/services/${r.id}`);
  });

  it('shows a service page with hours, phone and an OpenStreetMap link, in Arabic too; hidden tiers are not found', async () => {
    const { rows } = await t.db.query(
      `SELECT s.id FROM service s WHERE s.tier = 'public' AND s.status = 'active'
         AND EXISTS (SELECT 1 FROM service_schedule x WHERE x.service_id = s.id) LIMIT 1`,
    );
    const agent = browser(t);
    const fr = await agent.get(`/services/${rows[0].id}`).expect(200);
    expect(fr.text).toContain('Horaires');
    expect(fr.text).toMatch(/lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche/);
    expect(fr.text).toMatch(/https:\/\/www\.openstreetmap\.org\/\?mlat=/);
    await postForm(agent, '/', '/language', { lang: 'ar', next: `/services/${rows[0].id}` });
    const ar = await agent.get(`/services/${rows[0].id}`).expect(200);
    expect(ar.text).toContain('dir="rtl"');
    expect(ar.text).toContain('أوقات العمل');
    const { rows: restricted } = await t.db.query(`SELECT id FROM service WHERE tier = 'restricted' LIMIT 1`);
    await browser(t).get(`/services/${restricted[0].id}`).expect(404);
  });

  it('names the organisation and the place in Arabic on Arabic pages, in French on French ones (issue #14)', async () => {
    const id = demoServiceId('oujda-pss-individual');
    const agent = browser(t);
    const fr = await agent.get(`/services/${id}`).expect(200);
    for (const text of ['Centre psychosocial associatif, Oujda (démo)', 'Rue de Marrakech, Oujda']) expect(fr.text).toContain(text);
    const frList = await agent.get('/?category=mhpss&province=MA-OUJ').expect(200);
    expect(frList.text).toContain('Centre psychosocial associatif, Oujda (démo)');
    await postForm(agent, '/', '/language', { lang: 'ar', next: `/services/${id}` });
    const ar = await agent.get(`/services/${id}`).expect(200);
    for (const text of ['المركز الجمعوي للدعم النفسي والاجتماعي، وجدة (تجريبي)', 'المركز النفسي والاجتماعي', 'شارع مراكش، وجدة']) expect(ar.text).toContain(text);
    for (const text of ['Centre psychosocial', 'Rue de Marrakech']) expect(ar.text).not.toContain(text);
    const arList = await agent.get('/?category=mhpss&province=MA-OUJ').expect(200);
    expect(arList.text).toContain('المركز الجمعوي للدعم النفسي والاجتماعي، وجدة (تجريبي)');
    expect(arList.text).not.toContain('Centre psychosocial associatif');
    // No result: the suggestions name their organisations in Arabic too.
    const none = await agent.get(`/?search=${encodeURIComponent('zzzqqqxxx')}`).expect(200);
    expect(none.text).toContain('(تجريبي)');
    expect(none.text).not.toContain('(démo)');
  });

  it('names and describes the service in Arabic on Arabic pages (title and meta too), in French on French ones (issue #14)', async () => {
    const id = demoServiceId('oujda-pss-individual');
    const fr = (await browser(t).get(`/services/${id}?lang=fr`).expect(200)).text;
    expect(fr).toContain('<title>Soutien psychosocial individuel — Tawjih</title>');
    expect(fr).toContain('<meta name="description" content="Écoute, soutien psychosocial et orientation vers un psychiatre si nécessaire. — Centre psychosocial associatif, Oujda (démo)">');
    expect(fr).toContain('<h1>Soutien psychosocial individuel</h1>');
    const ar = (await browser(t).get(`/services/${id}?lang=ar`).expect(200)).text;
    expect(ar).toContain('<title>الدعم النفسي والاجتماعي الفردي — ');
    expect(ar).toContain('<meta name="description" content="الإنصات والدعم النفسي والاجتماعي والتوجيه نحو طبيب نفسي عند الحاجة. — المركز الجمعوي للدعم النفسي والاجتماعي، وجدة (تجريبي)">');
    expect(ar).toContain('<h1>الدعم النفسي والاجتماعي الفردي</h1>');
    for (const text of ['Soutien psychosocial', 'Écoute, soutien']) expect(ar).not.toContain(text);
  });

  it('finds a service by its Arabic name and lists services in Arabic, suggestions included', async () => {
    const frNames = DEMO_SERVICES.map((d) => d.name.fr);
    const arNames = DEMO_SERVICES.map((d) => d.name.ar);
    const found = (await browser(t).get(`/?lang=ar&search=${encodeURIComponent('مجموعات الحوار')}`).expect(200)).text;
    expect(found).toContain('مجموعات الحوار للنساء');
    expect(found).toContain(`/services/${demoServiceId('oujda-pss-groups')}`);
    const list = (await browser(t).get('/?lang=ar&category=mhpss').expect(200)).text;
    expect(arNames.filter((n) => list.includes(n)).length).toBeGreaterThan(1);
    expect(frNames.filter((n) => list.includes(n))).toEqual([]);
    const none = (await browser(t).get(`/?lang=ar&search=${encodeURIComponent('zzzqqqxxx')}`).expect(200)).text;
    expect(arNames.some((n) => none.includes(n))).toBe(true);
    expect(frNames.filter((n) => none.includes(n))).toEqual([]);
    // The shelter (restricted) is found by « إيواء » by those who may see it.
    const counsellor = await t.as(DEMO.counsellorOujda);
    const shelter = await counsellor.get(`/api/hsds/services?lang=ar&search=${encodeURIComponent('إيواء')}`).expect(200);
    expect(shelter.body.contents.map((s: { id: string; name: string }) => [s.id, s.name])).toContainEqual([demoServiceId('oujda-shelter'), 'إيواء استعجالي للنساء ضحايا العنف']);
  });

  it('reports bad criteria on the page instead of failing', async () => {
    const res = await browser(t).get('/?category=not-a-category').expect(400);
    expect(res.text).toContain('Certains champs ne sont pas valides.');
  });
});

describe('"my services" pages (providers)', () => {
  it('lets a provider change capacity, hours, languages and focal points of their own service only', async () => {
    const provider = await signIn(t, DEMO.providerPssOujda);
    const list = await provider.get('/my-services').expect(200);
    const id = /href="\/my-services\/([0-9a-f-]{36})"/.exec(list.text)![1]!;
    const res = await postForm(provider, `/my-services/${id}`, `/my-services/${id}`, {
      capacityStatus: 'waiting_list',
      'schedules.0.byday': ['MO', 'WE'],
      'schedules.0.opensAt': '09:00',
      'schedules.0.closesAt': '13:00',
      languages: ['ar', 'fr'],
      'focalPoints.0.name': 'Accueil',
      'focalPoints.0.email': 'accueil.pss@tawjih.test',
      'focalPoints.0.language': 'ar',
    });
    expect(res.status).toBe(303);
    const { rows } = await t.db.query(`SELECT capacity_status FROM service WHERE id = $1`, [id]);
    expect(rows[0].capacity_status).toBe('waiting_list');
    const { rows: hours } = await t.db.query(`SELECT opens_at FROM service_schedule WHERE service_id = $1`, [id]);
    expect(hours.map((h) => String(h.opens_at).slice(0, 5))).toEqual(['09:00']);
    const page = await provider.get(`/my-services/${id}`).expect(200);
    expect(page.text).toContain('accueil.pss@tawjih.test');

    const bad = await postForm(provider, `/my-services/${id}`, `/my-services/${id}`, { capacityStatus: 'waiting_list', 'schedules.0.byday': 'MO', 'schedules.0.opensAt': '14:00', 'schedules.0.closesAt': '10:00' });
    expect(bad.status).toBe(400);

    const { rows: other } = await t.db.query(`SELECT s.id FROM service s JOIN organisation o ON o.id = s.organisation_id WHERE o.name LIKE 'Clinique juridique%' LIMIT 1`);
    await provider.get(`/my-services/${other[0].id}`).expect(404);
  });

  it('names the provider’s services in the page’s language on the dashboard and in "my services"; a provider may not rename them', async () => {
    const provider = await signIn(t, DEMO.providerPssOujda);
    for (const path of ['/dashboard', '/my-services']) {
      const ar = (await provider.get(`${path}?lang=ar`).expect(200)).text;
      expect(ar).toContain('الدعم النفسي والاجتماعي الفردي');
      expect(ar).not.toContain('Soutien psychosocial individuel');
      const fr = (await provider.get(`${path}?lang=fr`).expect(200)).text;
      expect(fr).toContain('Soutien psychosocial individuel');
      expect(fr).not.toContain('الدعم النفسي والاجتماعي الفردي');
    }
    const id = demoServiceId('oujda-pss-individual');
    const page = (await provider.get(`/my-services/${id}?lang=ar`).expect(200)).text;
    expect(page).toContain('<h1>الدعم النفسي والاجتماعي الفردي</h1>');
    expect(page).not.toContain('name="nameAr"');
    // A tampered form is refused by the service's own rule.
    const tampered = await postForm(provider, `/my-services/${id}`, `/my-services/${id}`, { capacityStatus: 'accepting', nameAr: 'اسم آخر' });
    expect(tampered.status).toBe(403);
    expect((await t.db.query(`SELECT name_ar FROM service WHERE id = $1`, [id])).rows[0].name_ar).toBe('الدعم النفسي والاجتماعي الفردي');
  });
});

describe('renaming a service from the pages (coordinators)', () => {
  it('edits the names and descriptions in French, Arabic and English; an emptied Arabic name gives the French to Arabic readers', async () => {
    const coordinator = await signIn(t, DEMO.coordinator);
    const id = demoServiceId('berkane-health');
    const form = (await coordinator.get(`/my-services/${id}`).expect(200)).text;
    expect(form).toContain('value="الاستشارات العامة — المستشفى الإقليمي"');
    expect(form).toContain('>Consultations de médecine générale à l’hôpital provincial, sans condition de statut.</textarea>');
    const saved = await postForm(coordinator, `/my-services/${id}`, `/my-services/${id}`, {
      capacityStatus: 'accepting',
      languages: ['ar', 'fr'],
      nameFr: 'Consultations générales — hôpital provincial',
      nameAr: 'الاستشارات الطبية العامة — المستشفى الإقليمي',
      nameEn: 'General consultations — provincial hospital',
      descriptionFr: 'Médecine générale, sans condition de statut.',
      descriptionAr: 'الطب العام دون شرط الوضعية القانونية.',
      descriptionEn: '',
    });
    expect(saved.status).toBe(303);
    const ar = (await browser(t).get(`/services/${id}?lang=ar`).expect(200)).text;
    expect(ar).toContain('<h1>الاستشارات الطبية العامة — المستشفى الإقليمي</h1>');
    expect(ar).toContain('الطب العام دون شرط الوضعية القانونية.');
    // Emptied: the English description is gone (an English reader gets the French one).
    const en = (await browser(t).get(`/services/${id}?lang=en`).expect(200)).text;
    expect(en).toContain('Médecine générale, sans condition de statut.');

    const cleared = await postForm(coordinator, `/my-services/${id}`, `/my-services/${id}`, {
      capacityStatus: 'accepting',
      languages: ['ar', 'fr'],
      nameFr: 'Consultations générales — hôpital provincial',
      nameAr: '',
      nameEn: 'General consultations — provincial hospital',
    });
    expect(cleared.status).toBe(303);
    const fallback = (await browser(t).get(`/services/${id}?lang=ar`).expect(200)).text;
    expect(fallback).toContain('<h1>Consultations générales — hôpital provincial</h1>');
    expect((await t.db.query(`SELECT name_ar FROM service WHERE id = $1`, [id])).rows[0].name_ar).toBeNull();

    // No name at all: the error beside the field, nothing written.
    const bad = await postForm(coordinator, `/my-services/${id}`, `/my-services/${id}`, { capacityStatus: 'accepting', languages: ['ar'], nameFr: '', nameAr: '', nameEn: '' });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('id="s-name-fr-err"');
    expect((await t.db.query(`SELECT name_fr FROM service WHERE id = $1`, [id])).rows[0].name_fr).toBe('Consultations générales — hôpital provincial');
  });
});

describe('creating a service from the pages (coordinators, admins; POST /api/v1/services rules)', () => {
  it('lets the coordinator create a service for a provider of the region, with errors beside the fields', async () => {
    const coordinator = await signIn(t, DEMO.coordinator);
    expect((await coordinator.get('/my-services').expect(200)).text).toContain('href="/my-services/new"');
    const form = await coordinator.get('/my-services/new').expect(200);
    expect(form.text).toContain('Nouveau service');
    expect(form.text).toContain('value="MA-OUJ"');
    expect(form.text).not.toContain('value="MA-TNG"'); // provinces outside the region are not offered
    const organisationId = /<select id="s-org"[\s\S]*?<option value="([0-9a-f-]{36})"/.exec(form.text)![1]!;

    const bad = await postForm(coordinator, '/my-services/new', '/my-services', { organisationId, nameFr: 'Sans catégorie' });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('id="s-cat-err"');
    expect(bad.text).toContain('value="Sans catégorie"');

    const created = await postForm(coordinator, '/my-services/new', '/my-services', {
      organisationId,
      nameFr: 'Permanence juridique (test)',
      nameAr: 'مداومة قانونية',
      descriptionFr: 'Conseil juridique gratuit.',
      categories: ['legal_aid'],
      tier: 'public',
      'locations.0.city': 'Oujda',
      'locations.0.province': 'MA-OUJ',
      'phones.0.number': '+212 536 00 00 00',
      languages: ['fr', 'ar'],
      freeOfCharge: 'true',
      documents: 'Passeport\nPhotographie',
      'schedules.0.byday': ['MO', 'TU'],
      'schedules.0.opensAt': '09:00',
      'schedules.0.closesAt': '12:00',
    });
    expect(created.status).toBe(303);
    const id = /^\/my-services\/([0-9a-f-]{36})\?notice=serviceCreated$/.exec(created.headers.location)![1]!;
    const page = await browser(t).get(`/services/${id}`).expect(200); // public tier: in the open directory
    expect(page.text).toContain('Permanence juridique (test)');
    expect(page.text).toContain('Passeport');
    expect(page.text).toContain('+212 536 00 00 00');
    const api = (await (await t.as(DEMO.coordinator)).get(`/api/v1/directory/services/${id}`).expect(200)).body;
    expect(api).toMatchObject({ name: 'Permanence juridique (test)' });
  });

  it('keeps the form from providers', async () => {
    const provider = await signIn(t, DEMO.providerPssOujda);
    await provider.get('/my-services/new').expect(403);
    expect((await provider.get('/my-services').expect(200)).text).not.toContain('href="/my-services/new"');
  });
});

describe('dashboards per role', () => {
  it('shows each role its own cards', async () => {
    const provider = await (await signIn(t, DEMO.providerPssOujda)).get('/dashboard').expect(200);
    expect(provider.text).toContain('href="/my-services"');
    expect(provider.text).not.toContain('href="/cases?mine=1"');
    const counsellor = await (await signIn(t, DEMO.counsellorOujda)).get('/dashboard').expect(200);
    expect(counsellor.text).toContain('href="/cases?mine=1"');
    expect(counsellor.text).not.toContain('href="/my-services"');
    const admin = await (await signIn(t, DEMO.admin)).get('/dashboard').expect(200);
    expect(admin.text).toContain('href="/admin/users"');
    expect(admin.text).not.toContain('href="/cases?mine=1"');
  });

  it('says so when a provider has no new referral, and gives every page an icon (no 404 in the browser console)', async () => {
    const sent = await t.db.query(`SELECT count(*)::int AS n FROM referral r JOIN app_user u ON u.organisation_id = r.provider_organisation_id WHERE u.email = $1 AND r.status = 'sent'`, [DEMO.providerLegalBerkane]);
    expect(sent.rows[0].n).toBe(0);
    const provider = await signIn(t, DEMO.providerLegalBerkane);
    const page = await provider.get('/dashboard').expect(200);
    expect(page.text).toContain('Aucune nouvelle orientation en attente de réponse.');
    const icon = /<link rel="icon" type="image\/svg\+xml" href="([^"]+)">/.exec(page.text)?.[1];
    expect(icon).toMatch(/^\/assets\/favicon\.svg\?v=[0-9a-f]{12}$/);
    await provider.get(icon!).expect(200).expect('content-type', /image\/svg\+xml/);
  });

  it('heads the coordinator\'s list of services as the region\'s directory, the provider\'s as its services', async () => {
    const coordinator = (await (await signIn(t, DEMO.coordinator)).get('/my-services?lang=fr').expect(200)).text;
    expect(coordinator).toContain('<h1>Annuaire de la région</h1>');
    const provider = (await (await signIn(t, DEMO.providerPssOujda)).get('/my-services?lang=fr').expect(200)).text;
    expect(provider).toContain('<h1>Mes services</h1>');
  });
});
