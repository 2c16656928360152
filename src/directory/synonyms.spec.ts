import { CATEGORIES } from './taxonomy.data.js';
import { CATEGORY_SYNONYMS, categoriesNamedBy, foldSearch } from './synonyms.data.js';

describe('everyday words of the directory', () => {
  it('cover every category of the taxonomy, and only those, in fr, ar and en', () => {
    expect(Object.keys(CATEGORY_SYNONYMS).sort()).toEqual(CATEGORIES.map((c) => c.code).sort());
    for (const byLang of Object.values(CATEGORY_SYNONYMS)) for (const l of ['fr', 'ar', 'en'] as const) expect(byLang[l].length).toBeGreaterThan(0);
  });

  it.each([
    ['psychologue', ['mhpss'], ''],
    ['Psy', ['mhpss'], ''],
    ['médecin', ['health_care'], ''],
    ['medecin', ['health_care'], ''],
    ['docteur Oujda', ['health_care'], 'oujda'],
    ['avocat', ['legal_aid'], ''],
    ['طبيب', ['health_care'], ''],
    ['الطبيب', ['health_care'], ''],
    ['دكتور', ['health_care'], ''],
    ['محامي', ['legal_aid'], ''],
    ['طبيب نفسي', ['mhpss'], ''],
    ['سبيطار', ['health_care'], ''],
    ['psychologues', ['mhpss'], ''],
    ['اغتصاب', ['clinical_management_of_rape'], ''],
    ['Passeport', ['documentation'], ''],
    ['boulangerie', [], 'boulangerie'],
  ])('« %s » names %j (rest %j)', (text, categories, rest) => {
    expect(categoriesNamedBy(text)).toEqual({ categories, rest });
  });

  it('folds like the database: accents, hamza forms, tā’ marbūṭa, harakat', () => {
    expect(foldSearch('Médecin GÉNÉRALISTE')).toBe('medecin generaliste');
    expect(foldSearch('أَخِصّائي إيواء مستشفى الصحة')).toBe('اخصايي ايواء مستشفي الصحه');
  });
});
