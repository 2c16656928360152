// Reference data and distributions for the synthetic national dataset (npm run datagen).
// The figures are plausible orders of magnitude for the programme (see the M4SD factsheet), not statistics.
import type { Category } from '../../src/common/categories.js';

/** Provinces of the regions the app's reference seed leaves without provinces (ISO-like codes of our own). */
export const EXTRA_PROVINCES: Record<string, Array<[code: string, nameFr: string, nameAr: string]>> = {
  'MA-03': [
    ['MA-FES', 'Fès', 'فاس'],
    ['MA-MEK', 'Meknès', 'مكناس'],
    ['MA-TAZ', 'Taza', 'تازة'],
    ['MA-SEF', 'Sefrou', 'صفرو'],
  ],
  'MA-04': [
    ['MA-RAB', 'Rabat', 'الرباط'],
    ['MA-SAL', 'Salé', 'سلا'],
    ['MA-SKH', 'Skhirate-Témara', 'الصخيرات تمارة'],
    ['MA-KEN', 'Kénitra', 'القنيطرة'],
  ],
  'MA-05': [
    ['MA-BEM', 'Béni Mellal', 'بني ملال'],
    ['MA-KHN', 'Khénifra', 'خنيفرة'],
    ['MA-KHO', 'Khouribga', 'خريبكة'],
  ],
  'MA-06': [
    ['MA-CAS', 'Casablanca', 'الدار البيضاء'],
    ['MA-MOH', 'Mohammédia', 'المحمدية'],
    ['MA-JDI', 'El Jadida', 'الجديدة'],
    ['MA-SET', 'Settat', 'سطات'],
  ],
  'MA-07': [
    ['MA-MAR', 'Marrakech', 'مراكش'],
    ['MA-SAF', 'Safi', 'آسفي'],
    ['MA-ESI', 'Essaouira', 'الصويرة'],
  ],
  'MA-08': [
    ['MA-ERR', 'Errachidia', 'الرشيدية'],
    ['MA-OUA', 'Ouarzazate', 'ورزازات'],
    ['MA-ZAG', 'Zagora', 'زاكورة'],
  ],
  'MA-10': [
    ['MA-GUE', 'Guelmim', 'كلميم'],
    ['MA-TNT', 'Tan-Tan', 'طانطان'],
  ],
  'MA-11': [
    ['MA-LAA', 'Laâyoune', 'العيون'],
    ['MA-BOD', 'Boujdour', 'بوجدور'],
  ],
  'MA-12': [
    ['MA-OUD', 'Oued Ed-Dahab', 'وادي الذهب'],
    ['MA-AOU', 'Aousserd', 'أوسرد'],
  ],
};

/** Share of the persons met in each region, and how many counselling units serve it. */
export const REGION_PROFILE: Record<string, { weight: number; units: number }> = {
  'MA-01': { weight: 16, units: 3 },
  'MA-02': { weight: 22, units: 4 },
  'MA-03': { weight: 8, units: 2 },
  'MA-04': { weight: 12, units: 3 },
  'MA-05': { weight: 3, units: 1 },
  'MA-06': { weight: 14, units: 3 },
  'MA-07': { weight: 6, units: 2 },
  'MA-08': { weight: 2, units: 1 },
  'MA-09': { weight: 10, units: 3 },
  'MA-10': { weight: 3, units: 1 },
  'MA-11': { weight: 2, units: 1 },
  'MA-12': { weight: 2, units: 1 },
};

/** Approximate centre (latitude, longitude) of each region, for service locations. */
export const REGION_CENTRE: Record<string, [number, number]> = {
  'MA-01': [35.57, -5.6], 'MA-02': [34.68, -1.91], 'MA-03': [34.03, -5.0], 'MA-04': [34.02, -6.83], 'MA-05': [32.34, -6.36], 'MA-06': [33.57, -7.59],
  'MA-07': [31.63, -8.0], 'MA-08': [31.93, -4.42], 'MA-09': [30.42, -9.6], 'MA-10': [28.99, -10.06], 'MA-11': [27.15, -13.2], 'MA-12': [23.68, -15.96],
};

/** Kinds of service provider found in a province, with the categories they deliver. */
export const PROVIDER_KINDS: Array<{ kind: string; label: string; categories: Category[]; perProvince: number }> = [
  { kind: 'health', label: 'Unité hospitalière femmes et enfants victimes de violence', categories: ['health_care', 'clinical_management_of_rape', 'sexual_reproductive_health'], perProvince: 1 },
  { kind: 'csu', label: 'Centre de santé urbain', categories: ['health_care', 'sexual_reproductive_health'], perProvince: 1 },
  { kind: 'pss', label: 'Centre psychosocial associatif', categories: ['mhpss', 'child_protection'], perProvince: 1 },
  { kind: 'legal', label: 'Permanence d’aide juridique', categories: ['legal_aid', 'documentation'], perProvince: 1 },
  { kind: 'shelter', label: 'Centre d’hébergement', categories: ['shelter', 'food_basic_needs'], perProvince: 0.5 },
  { kind: 'jobs', label: 'Guichet emploi et entrepreneuriat', categories: ['employment_business'], perProvince: 0.5 },
  { kind: 'edu', label: 'Centre d’éducation non formelle', categories: ['education', 'interpretation'], perProvince: 0.5 },
  { kind: 'food', label: 'Banque alimentaire solidaire', categories: ['food_basic_needs'], perProvince: 0.5 },
];

type Weighted<T> = Array<[T, number]>;

export const POPULATION: Weighted<'migrant' | 'refugee_asylum_seeker' | 'moroccan_returnee' | 'host_community'> = [
  ['migrant', 55],
  ['refugee_asylum_seeker', 15],
  ['moroccan_returnee', 10],
  ['host_community', 20],
];

/** Nationalities of migrants and refugees: West and Central Africa above all, the Horn, Syria and Yemen. */
export const FOREIGN_NATIONALITIES: Weighted<string> = [
  ['GN', 16], ['CI', 14], ['CM', 10], ['SN', 9], ['ML', 9], ['NG', 6], ['CD', 5], ['CG', 3], ['GM', 3], ['SL', 3],
  ['BF', 3], ['SD', 4], ['SS', 2], ['ER', 1], ['TD', 2], ['LR', 1], ['GH', 1], ['SY', 6], ['YE', 2],
];

/** Languages by nationality (ISO 639 codes of the person_language enum). */
export const LANGUAGES_OF: Record<string, string[]> = {
  GN: ['fr', 'ff'], CI: ['fr'], CM: ['fr', 'en'], SN: ['fr', 'wo'], ML: ['fr', 'bm'], NG: ['en'], CD: ['fr', 'ln'],
  CG: ['fr', 'ln'], GM: ['en', 'wo'], SL: ['en'], BF: ['fr'], SD: ['ar'], SS: ['en', 'ar'], ER: ['other'], TD: ['fr', 'ar'],
  LR: ['en'], GH: ['en'], SY: ['ar'], YE: ['ar'], MA: ['ary', 'ar'],
};

export const NEEDS: Weighted<Category> = [
  ['mhpss', 25], ['health_care', 20], ['food_basic_needs', 10], ['legal_aid', 10], ['shelter', 8], ['documentation', 8],
  ['employment_business', 8], ['sexual_reproductive_health', 4], ['education', 3], ['child_protection', 2], ['interpretation', 2],
];

export const EMPLOYMENT_OUTCOMES: Weighted<string> = [
  ['career_counselling', 50], ['business_startup_support', 18], ['job_interview', 10], ['internship', 5],
  ['self_entrepreneur_registered', 12], ['business_opened', 5],
];

export const CLOSURE_REASONS: Weighted<string> = [
  ['needs_met', 55], ['lost_contact', 20], ['moved', 15], ['transferred', 6], ['consent_withdrawn', 3], ['deceased', 1],
];

export const INCIDENT_TYPES: Weighted<string> = [
  ['physical_assault', 30], ['psychological_abuse', 22], ['sexual_assault', 16], ['rape', 14], ['denial_of_resources', 12], ['forced_marriage', 6],
];

export const INCIDENT_PLACES: Weighted<string> = [
  ['street', 20], ['forest_or_camp', 18], ['border_crossing', 16], ['survivor_home', 12], ['perpetrator_home', 8], ['transport', 8],
  ['workplace', 6], ['detention_or_police', 4], ['other', 8],
];

export const SESSION_KINDS: Weighted<string> = [['psychosocial', 45], ['case_management', 30], ['phone', 15], ['home_visit', 5], ['group', 5]];

export const GIVEN_NAMES = {
  female: ['Aminata', 'Fatoumata', 'Mariam', 'Awa', 'Aïcha', 'Grace', 'Blessing', 'Esther', 'Chantal', 'Khadija', 'Fatima', 'Nadia', 'Salma', 'Hajar', 'Yasmina', 'Rama', 'Hiba', 'Nour', 'Kadiatou', 'Djeneba'],
  male: ['Mamadou', 'Ibrahima', 'Moussa', 'Ousmane', 'Abdoulaye', 'Seydou', 'Emmanuel', 'Samuel', 'Joseph', 'Youssef', 'Mohamed', 'Omar', 'Karim', 'Ahmed', 'Hamza', 'Bilal', 'Idriss', 'Lamine', 'Sekou', 'Chinedu'],
};
export const FAMILY_NAMES = ['Diallo', 'Traoré', 'Koné', 'Camara', 'Bah', 'Sow', 'Keita', 'Coulibaly', 'Touré', 'Ndiaye', 'Okafor', 'Mbeki', 'Kabila', 'Nkosi', 'Haddad', 'Al-Masri', 'Benali', 'El Idrissi', 'Alaoui', 'Bennani', 'Tazi', 'Amrani', 'Mensah', 'Kamara'];
export const STREETS = ['Hay Al Qods', 'Hay Lazaret', 'Boulevard Mohammed V', 'Quartier Sidi Yahya', 'Hay Al Andalous', 'Douar Lamhaia', 'Rue Ibn Khaldoun', 'Hay Al Massira'];
export const NOTES = [
  'Entretien d’accueil ; besoins exprimés et orientation expliquée.',
  'Suivi psychosocial ; la personne dit mieux dormir.',
  'Appel de suivi ; rendez-vous confirmé avec le prestataire.',
  'Séance de groupe sur la gestion du stress.',
  'Visite à domicile ; conditions d’hébergement difficiles.',
  'Point sur les démarches administratives en cours.',
];

export function cumulative<T>(w: Weighted<T>): { values: T[]; cum: Float64Array } {
  const cum = new Float64Array(w.length);
  let s = 0;
  w.forEach(([, x], i) => (cum[i] = s += x));
  for (let i = 0; i < cum.length; i++) cum[i]! /= s;
  return { values: w.map(([v]) => v), cum };
}
