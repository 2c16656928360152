import { createTestApp, DEMO, type TestApp } from '../support/test-app.js';
import { demoServiceId } from '../../src/directory/directory.seeder.js';
import { CATEGORIES } from '../../src/directory/taxonomy.data.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const names = (body: { contents: Array<{ id: string; name: string }> }) => body.contents.map((s) => s.name);
const ids = (body: { contents: Array<{ id: string }> }) => body.contents.map((s) => s.id);
const search = async (query: string, who: string = DEMO.counsellorOujda) =>
  (await (await t.as(who)).get(`/api/hsds/services?${query}`).expect(200)).body;

describe('directory search', () => {
  it('finds a service despite a typo (trigram similarity)', async () => {
    const body = await search(`search=${encodeURIComponent('psycosocial individuel')}`);
    expect(ids(body)[0]).toBe(demoServiceId('oujda-pss-individual'));
    const accentless = await search(`search=${encodeURIComponent('hebergement urgence')}`);
    expect(ids(accentless)).toContain(demoServiceId('oujda-shelter'));
  });

  it('finds a service from Arabic text, with or without diacritics and tatweel', async () => {
    const plain = await search(`search=${encodeURIComponent('مساعدة قانونية')}`);
    expect(ids(plain)).toContain(demoServiceId('berkane-legal'));
    const vocalised = await search(`search=${encodeURIComponent('مُسَاعَدَةٌ قـانُونِيَّة')}`);
    expect(ids(vocalised)).toContain(demoServiceId('berkane-legal'));
    // Hamza forms fold too: "الإيواء" matches the shelter's "إيواء".
    const shelter = await search(`search=${encodeURIComponent('ايواء')}`);
    expect(ids(shelter)).toContain(demoServiceId('oujda-shelter'));
  });

  it('searches English and category labels as well', async () => {
    const body = await search(`search=${encodeURIComponent('legal aid')}&province=MA-BER`);
    expect(ids(body)).toEqual(expect.arrayContaining([demoServiceId('berkane-legal'), demoServiceId('berkane-legal-family')]));
    expect(ids(body)).not.toContain(demoServiceId('oujda-legal'));
  });

  it('open-now honours the schedule (read in Africa/Casablanca)', async () => {
    const groups = demoServiceId('oujda-pss-groups'); // Tuesday and Thursday, 14:00–17:00 local
    const office = demoServiceId('oujda-pss-individual'); // Monday–Friday 08:30–16:30
    const always = demoServiceId('oujda-cmr'); // every day 00:00–23:59
    const at = async (iso: string) => ids(await search(`open_at=${encodeURIComponent(iso)}&per_page=200`));
    // Tuesday 5 May 2026, 15:00 in Casablanca (UTC+1) = 14:00Z.
    const tuesdayAfternoon = await at('2026-05-05T14:00:00Z');
    expect(tuesdayAfternoon).toEqual(expect.arrayContaining([groups, office, always]));
    // Same Tuesday at 17:30 local: the groups have closed (17:00), the office too (16:30).
    const tuesdayEvening = await at('2026-05-05T16:30:00Z');
    expect(tuesdayEvening).toContain(always);
    expect(tuesdayEvening).not.toContain(groups);
    expect(tuesdayEvening).not.toContain(office);
    // During Ramadan Morocco is on UTC+0: 16:30Z on Tuesday 3 March 2026 is 16:30 local, groups still open.
    expect(await at('2026-03-03T16:30:00Z')).toContain(groups);
    // Wednesday 15:00 local: office open, groups not.
    const wednesday = await at('2026-05-06T14:00:00Z');
    expect(wednesday).toContain(office);
    expect(wednesday).not.toContain(groups);
    // Monday 08:00 local is closed (opens 08:30), 08:45 is open.
    expect(await at('2026-05-04T07:00:00Z')).not.toContain(office);
    expect(await at('2026-05-04T07:45:00Z')).toContain(office);
    // Saturday: neither.
    const saturday = await at('2026-05-09T10:00:00Z');
    expect(saturday).not.toContain(office);
    expect(saturday).toContain(always);
    // open_now runs without error and only returns services that have schedules.
    const now = await search('open_now=true&per_page=200');
    expect(now.total_items).toBeLessThanOrEqual((await search('per_page=1')).total_items);
  });

  it('filters by distance and sorts nearest first', async () => {
    // Berkane town centre, 20 km: Berkane services only (Oujda is ~55 km away).
    const near = await search('lat=34.92&lon=-2.32&radius_km=20&per_page=200');
    expect(near.total_items).toBeGreaterThan(3);
    for (const s of near.contents) expect(s.distance_km).toBeLessThanOrEqual(20);
    expect(ids(near)).toContain(demoServiceId('berkane-legal'));
    expect(ids(near)).not.toContain(demoServiceId('oujda-legal'));
    const sorted = await search('lat=34.68&lon=-1.91&per_page=200');
    const distances = sorted.contents.map((s: { distance_km: number }) => s.distance_km);
    expect(distances).toEqual([...distances].sort((a, b) => a - b));
  });

  it('filters by taxonomy term, language, population, province and modified_after', async () => {
    const legal = CATEGORIES.find((c) => c.code === 'legal_aid')!;
    const byTerm = await search(`taxonomy_term_id=${legal.id}&per_page=200`);
    for (const s of byTerm.contents) expect(s.categories).toContain('legal_aid');
    const tamazight = await search('language=zgh&per_page=200');
    expect(ids(tamazight)).toContain(demoServiceId('berkane-pss'));
    expect(ids(tamazight)).not.toContain(demoServiceId('oujda-pss-individual'));
    const kids = await search('population=unaccompanied_children&province=MA-OUJ&per_page=200');
    expect(names(kids).length).toBeGreaterThan(0);
    for (const s of kids.contents) expect(s.populations).toContain('unaccompanied_children');
    const future = await search('modified_after=2999-01-01T00:00:00Z');
    expect(future).toMatchObject({ total_items: 0, empty: true });
  });

  it('rejects bad input with 400 naming the field', async () => {
    const http = t.http();
    const bad = async (q: string, field: string) => {
      const res = await http.get(`/api/hsds/services?${q}`).expect(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    };
    await bad('taxonomy_term_id=00000000-0000-4000-8000-000000000000', 'taxonomy_term_id');
    await bad('category=astrology', 'category');
    await bad('lat=abc&lon=-1.9', 'lat');
    await bad('lat=91&lon=-1.9', 'lat');
    await bad('lat=34.6', 'lon');
    await bad('lat=34.6&lon=-1.9&radius_km=5000', 'radius_km');
    await bad('lat=34.6&lon=-1.9&radius_km=0', 'radius_km');
    await bad('radius_km=10', 'radius_km');
    await bad('province=MA-XXX', 'province');
    await bad('language=klingon', 'language');
    await bad('per_page=1000', 'per_page');
    await bad('search=%21%21%21', 'search');
    await bad('open_at=yesterday', 'open_at');
  });
});
