import ExcelJS from 'exceljs';
import { label } from '../../src/vocabulary/index.js';
import { createTestApp, DEMO, type TestApp } from '../support/test-app.js';
import { csrfOf, signIn } from './web-support.js';

/**
 * The coordinator's service-map page: a services sheet checked (nothing written), refused whole while a
 * row is wrong (the row and column shown), then imported; the same page in Arabic; only those who may
 * create services reach it, and the multipart form still needs its anti-forgery token.
 */
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
}, 180_000);
afterAll(() => t.close(), 180_000);

async function sheet(rows: Array<Array<string | null>>): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Cartographie');
  ws.addRow(['Organisation', 'Service', 'Catégorie', 'Adresse', 'Ville', 'Téléphone', 'Horaires', 'Langues', 'Gratuit']);
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}
const good = ['Association Amal (page)', 'Accueil de jour', label('category', 'mhpss', 'fr'), '3 rue Tafna', 'Oujda', '0536000002', 'Lun-Ven 09:00-16:00', 'Français, العربية', 'oui'];
const wrong = ['Association Amal (page)', 'Horoscope', 'Astrologie', null, 'Oujda', null, 'Lun 09:00-12:00', 'Français', 'oui'];
const services = async () => Number((await t.db.query(`SELECT count(*) FROM service`)).rows[0].count);

describe('service map page', () => {
  it('checks, refuses a sheet with a wrong row, then imports a clean one (fr)', async () => {
    const page = await signIn(t, DEMO.coordinator);
    expect((await page.get('/my-services').expect(200)).text).toContain('href="/my-services/import"');
    const form = (await page.get('/my-services/import').expect(200)).text;
    expect(form).toContain('enctype="multipart/form-data"');
    const post = (file: Buffer, action: string) =>
      page.post('/my-services/import').field('_csrf', csrfOf(form)).field('kind', 'sheet').field('action', action).attach('file', file, 'cartographie.xlsx');
    const before = await services();

    const checked = await post(await sheet([good]), 'check');
    expect(checked.status).toBe(200);
    expect(checked.text).toContain('Vérification terminée : rien n’a été enregistré.');
    expect(checked.text).toMatch(/Services nouveaux( |&#39;| )?:( | )?1/);
    expect(await services()).toBe(before);

    const refused = await post(await sheet([good, wrong]), 'import');
    expect(refused.status).toBe(422);
    expect(refused.text).toContain('Rien n’a été enregistré');
    expect(refused.text).toMatch(/data-label="Ligne">3</);
    expect(refused.text).toContain('Catégorie');
    expect(await services()).toBe(before);

    const done = await post(await sheet([good]), 'import');
    expect(done.status).toBe(200);
    expect(done.text).toContain('Import terminé');
    expect(await services()).toBe(before + 1);
    expect((await t.db.query(`SELECT count(*) FROM service WHERE name_fr = 'Accueil de jour'`)).rows[0].count).toBe('1');
  });

  it('speaks Arabic', async () => {
    const page = await signIn(t, DEMO.coordinator);
    const html = (await page.get('/my-services/import?lang=ar').expect(200)).text;
    expect(html).toContain('dir="rtl"');
    expect(html).toContain('استيراد خريطة الخدمات');
  });

  it('is for those who may create services, the upload needs its token, and a missing file is shown beside its field', async () => {
    const provider = await signIn(t, DEMO.providerPssOujda);
    expect((await provider.get('/my-services/import')).status).toBe(403);
    const coordinator = await signIn(t, DEMO.coordinator);
    const before = await services();
    const forged = await coordinator.post('/my-services/import').field('kind', 'sheet').field('action', 'import').attach('file', await sheet([good]), 'cartographie.xlsx');
    expect(forged.status).toBe(403);
    expect(await services()).toBe(before);
    // No file: the form again with the error, never a 500.
    // The page first: its GET renews the session's token, so the token is read before the post is built.
    const token = csrfOf((await coordinator.get('/my-services/import')).text);
    const empty = await coordinator.post('/my-services/import').field('_csrf', token).field('kind', 'sheet').field('action', 'check');
    expect(empty.status).toBe(400);
    expect(empty.text).toContain('enctype="multipart/form-data"');
    // The error is the file's: beside its input, linked for screen readers, and in the summary by its label.
    expect(empty.text).toMatch(/<input id="m-file"[^>]*aria-invalid="true" aria-describedby="m-file-hint m-file-err"/);
    expect(empty.text).toContain('<p class="field-error" id="m-file-err">');
    expect(empty.text).toMatch(/<a href="#m-file">Fichier<\/a>/);
    // The same for the case register's upload.
    const sup = await signIn(t, DEMO.supervisorOujda);
    const supToken = csrfOf((await sup.get('/imports')).text);
    const noSheet = await sup.post('/imports').field('_csrf', supToken);
    expect(noSheet.status).toBe(400);
    expect(noSheet.text).toMatch(/<input id="i-file"[^>]*aria-invalid="true" aria-describedby="i-file-hint i-file-err"/);
  });
});
