import { CATEGORIES as CASE_CATEGORIES } from '../common/categories.js';
import { CATEGORIES } from './taxonomy.data.js';

describe('directory taxonomy', () => {
  it('uses exactly the category codes that needs use, so a need finds its services', () => {
    expect(CATEGORIES.map((c) => c.code).sort()).toEqual([...CASE_CATEGORIES].sort());
  });

  it('labels every category in French, Arabic and English', () => {
    for (const c of CATEGORIES) for (const l of ['fr', 'ar', 'en'] as const) expect(c.labels[l].length).toBeGreaterThan(2);
  });
});
