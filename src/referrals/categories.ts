/**
 * Need categories (cases) and service categories (directory) name the same taxonomy of domain.md §3.
 * Until both use one code list, this is the bridge: a need's code and the directory's short code
 * for the same category.
 */
const DIRECTORY_CODE: Record<string, string> = {
  health_care: 'health',
  sexual_reproductive_health: 'srh',
  mhpss: 'mhpss',
  clinical_management_of_rape: 'cmr',
  legal_aid: 'legal',
  shelter: 'shelter',
  documentation: 'documentation',
  employment_business: 'livelihood',
  education: 'education',
  food_basic_needs: 'basic_needs',
  child_protection: 'child_protection',
  interpretation: 'interpretation',
};

export function directoryCategory(needCategory: string): string {
  return DIRECTORY_CODE[needCategory] ?? needCategory;
}

export function serviceOffersCategory(serviceCategories: readonly string[], needCategory: string): boolean {
  return serviceCategories.includes(needCategory) || serviceCategories.includes(directoryCategory(needCategory));
}
