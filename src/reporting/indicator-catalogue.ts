import type { Language } from '../authorization/actor.js';

/**
 * The programme indicators of domain.md §6, as data. Each entry says what is counted (in words,
 * in three languages), in what unit, which SDG targets it reports against and by which dimensions
 * it may be cut. The SQL that computes them lives in report-sources.ts and follows the
 * `definition` here; the factsheet figures are kept for reference (they are not targets).
 */

export type Localised = Record<Language, string>;

/** The person dimensions and geography every case-based indicator supports (domain.md §6). */
export const PERSON_DISAGGREGATIONS = [
  'period',
  'region',
  'province',
  'unit',
  'sex',
  'age_band',
  'population_group',
  'nationality_group',
] as const;

/**
 * Dimensions a table may be cut by (`by=` in the API). Activities (CAP-1, CAP-2) add two: their
 * participants are counted by organisation type, and activities by kind.
 */
export const DISAGGREGATIONS = [...PERSON_DISAGGREGATIONS, 'organisation_type', 'activity_kind'] as const;
export type Disaggregation = (typeof DISAGGREGATIONS)[number];

/** Activities have no person record: participants are known by sex and organisation type only. */
export const ACTIVITY_DISAGGREGATIONS = ['period', 'region', 'province', 'sex', 'organisation_type'] as const satisfies readonly Disaggregation[];

/** Fixed values of the closed dimensions (open ones — places, units, periods — come from the data). */
export { SEXES as SEX_VALUES, AGE_BANDS, POPULATION_GROUPS } from '../cases/cases.constants.js';
export { ACTIVITY_KINDS, type ActivityKind } from '../activities/activity.constants.js';
import type { ActivityKind } from '../activities/activity.constants.js';

/**
 * Nationality groups (a person's nationality is an ISO 3166 alpha-2 code). Groups are coarse on
 * purpose: a single nationality in a small place can identify a person.
 */
export const NATIONALITY_GROUPS = {
  moroccan: ['MA'],
  west_central_africa: ['SN', 'ML', 'GN', 'CI', 'CM', 'NG', 'BF', 'NE', 'GM', 'GW', 'SL', 'LR', 'GH', 'TG', 'BJ', 'CD', 'CG', 'CF', 'TD', 'GA', 'GQ', 'MR'],
  east_horn_africa: ['SD', 'SS', 'ER', 'ET', 'SO', 'DJ', 'KE', 'UG'],
  north_africa_middle_east: ['DZ', 'TN', 'LY', 'EG', 'SY', 'YE', 'IQ', 'PS', 'LB', 'JO'],
} as const satisfies Record<string, readonly string[]>;
export { NATIONALITY_GROUPS as NATIONALITY_GROUP_VALUES } from '../vocabulary/index.js';
export type { NationalityGroup } from '../vocabulary/index.js';
import type { NationalityGroup } from '../vocabulary/index.js';

/** Which group an ISO code belongs to (the SQL uses the same table, see nationalityGroupSql). */
export function nationalityGroupOf(iso: string | null | undefined): NationalityGroup {
  if (!iso) return 'unknown';
  const code = iso.toUpperCase();
  for (const [group, codes] of Object.entries(NATIONALITY_GROUPS)) {
    if ((codes as readonly string[]).includes(code)) return group as NationalityGroup;
  }
  return 'other';
}

export const INDICATOR_CODES = [
  'PSS-1',
  'GBV-1',
  'GBV-2',
  'REF-1',
  'REF-2',
  'REF-3',
  'REF-4',
  'REF-5',
  'LIV-1',
  'LIV-2',
  'LIV-3',
  'LIV-4',
  'LIV-5',
  'LIV-6',
  'CAP-1',
  'CAP-2',
] as const;
export type IndicatorCode = (typeof INDICATOR_CODES)[number];

export type IndicatorUnit = 'persons' | 'referrals' | 'deliveries' | 'percent' | 'hours' | 'days' | 'participants';

/**
 * How cells combine, which decides how small numbers are protected:
 * - `count`: additive; totals are sums of cells; primary and complementary suppression apply.
 * - `distinct_count`: a count of distinct persons; a person in two cells is counted once in the
 *   total, so totals are computed (not summed) and cells are protected like counts — and audited
 *   as sums where every dimension puts a person in one cell (`additive`, reporting.service.ts).
 * - `ratio` / `median`: not additive; a cell is withheld when the number of records behind it
 *   (its base) is below the threshold.
 */
export type Aggregation = 'count' | 'distinct_count' | 'ratio' | 'median';

export interface IndicatorDefinition {
  code: IndicatorCode;
  theme: 'psychosocial' | 'gbv' | 'referral' | 'livelihood' | 'capacity';
  name: Localised;
  definition: Localised;
  unit: IndicatorUnit;
  aggregation: Aggregation;
  /** SDG targets (and, for 10.7.2, the SDG indicator) the factsheet reports this against. */
  sdg: string[];
  disaggregations: readonly Disaggregation[];
  /** The factsheet's figure, for orientation (not a target): where and how many. */
  factsheet?: { scope: string; figure: number; note?: string };
}

/** Service categories the definitions refer to (the stable codes of domain.md §3). */
export const HEALTH_OR_PSS_CATEGORIES = ['health_care', 'sexual_reproductive_health', 'clinical_management_of_rape', 'mhpss'] as const;
export const PSS_CATEGORY = 'mhpss';
export const CLINICAL_RAPE_CATEGORY = 'clinical_management_of_rape';
export const LIVELIHOOD_CATEGORY = 'employment_business';

/** Livelihood outcome code of a delivery → indicator (domain.md §6). */
export const LIVELIHOOD_OUTCOMES = {
  'LIV-1': 'career_counselling',
  'LIV-2': 'business_startup_support',
  'LIV-3': 'business_opened',
  'LIV-4': 'internship',
  'LIV-5': 'job_interview',
  'LIV-6': 'self_entrepreneur_registered',
} as const satisfies Partial<Record<IndicatorCode, string>>;

const REF_SDG = ['10.7.2', '17.H'];
const LIV_SDG = ['8.3'];

const livelihood = (
  code: keyof typeof LIVELIHOOD_OUTCOMES,
  name: Localised,
  unit: 'persons' | 'deliveries',
  factsheet: number,
): IndicatorDefinition => ({
  code,
  theme: 'livelihood',
  name,
  definition:
    unit === 'persons'
      ? {
          en: `Distinct persons with at least one employment/business delivery in the period whose outcome is "${LIVELIHOOD_OUTCOMES[code]}".`,
          fr: `Personnes distinctes ayant reçu au moins une prestation emploi/entreprise dans la période avec le résultat « ${LIVELIHOOD_OUTCOMES[code]} ».`,
          ar: `عدد الأشخاص المختلفين الذين تلقوا خدمة واحدة على الأقل في مجال التشغيل/المقاولة خلال الفترة بنتيجة «${LIVELIHOOD_OUTCOMES[code]}».`,
        }
      : {
          en: `Employment/business deliveries in the period whose outcome is "${LIVELIHOOD_OUTCOMES[code]}" (each event counts).`,
          fr: `Prestations emploi/entreprise de la période avec le résultat « ${LIVELIHOOD_OUTCOMES[code]} » (chaque événement compte).`,
          ar: `خدمات التشغيل/المقاولة خلال الفترة بنتيجة «${LIVELIHOOD_OUTCOMES[code]}» (يحتسب كل حدث).`,
        },
  unit,
  aggregation: unit === 'persons' ? 'distinct_count' : 'count',
  sdg: LIV_SDG,
  disaggregations: PERSON_DISAGGREGATIONS,
  factsheet: { scope: 'Tanger-Tétouan-Al Hoceïma', figure: factsheet },
});

export const INDICATORS: readonly IndicatorDefinition[] = [
  {
    code: 'PSS-1',
    theme: 'psychosocial',
    name: {
      en: 'People who accessed psychosocial services',
      fr: 'Personnes ayant accédé aux services psychosociaux',
      ar: 'الأشخاص الذين استفادوا من خدمات الدعم النفسي والاجتماعي',
    },
    definition: {
      en: 'Distinct persons with at least one mental health and psychosocial support delivery in the period (by a provider or by the counselling unit itself). A person with several deliveries counts once.',
      fr: 'Personnes distinctes ayant reçu au moins une prestation de santé mentale et de soutien psychosocial dans la période (par un prestataire ou par l’unité d’écoute elle-même). Une personne avec plusieurs prestations compte une fois.',
      ar: 'عدد الأشخاص المختلفين الذين تلقوا خدمة واحدة على الأقل في مجال الصحة النفسية والدعم النفسي والاجتماعي خلال الفترة (من مقدم خدمة أو من وحدة الإنصات نفسها). يحتسب الشخص مرة واحدة مهما تعددت الخدمات.',
    },
    unit: 'persons',
    aggregation: 'distinct_count',
    sdg: ['3.8'],
    disaggregations: PERSON_DISAGGREGATIONS,
    factsheet: { scope: 'Oriental', figure: 663 },
  },
  {
    code: 'GBV-1',
    theme: 'gbv',
    name: {
      en: 'Survivors of violence who received at least one health or psychosocial service',
      fr: 'Survivant·es de violence ayant reçu au moins un service de santé ou psychosocial',
      ar: 'الناجون والناجيات من العنف الذين تلقوا خدمة صحية أو نفسية واحدة على الأقل',
    },
    definition: {
      en: 'Distinct persons with at least one recorded incident of violence and at least one health, sexual and reproductive health, clinical management of rape or psychosocial delivery in the period.',
      fr: 'Personnes distinctes ayant au moins un incident de violence enregistré et au moins une prestation de santé, santé sexuelle et reproductive, prise en charge clinique du viol ou psychosociale dans la période.',
      ar: 'عدد الأشخاص المختلفين الذين سجلت لهم حادثة عنف واحدة على الأقل وتلقوا خلال الفترة خدمة صحية أو خدمة في الصحة الجنسية والإنجابية أو التكفل السريري بضحايا الاغتصاب أو الدعم النفسي.',
    },
    unit: 'persons',
    aggregation: 'distinct_count',
    sdg: ['5.2', '3.8'],
    disaggregations: PERSON_DISAGGREGATIONS,
  },
  {
    code: 'GBV-2',
    theme: 'gbv',
    name: {
      en: 'Survivors of rape referred to clinical care within 72 hours of the incident',
      fr: 'Survivant·es de viol orienté·es vers une prise en charge clinique dans les 72 heures suivant l’incident',
      ar: 'الناجون والناجيات من الاغتصاب الذين وجهوا إلى التكفل السريري خلال 72 ساعة من الحادثة',
    },
    definition: {
      en: 'Distinct persons with a rape incident who had a referral for clinical management of rape sent in the period no later than 72 hours after the start of the incident day.',
      fr: 'Personnes distinctes ayant un incident de viol et une orientation vers la prise en charge clinique du viol envoyée dans la période au plus tard 72 heures après le début du jour de l’incident.',
      ar: 'عدد الأشخاص المختلفين الذين سجلت لهم حادثة اغتصاب ووجهوا إلى التكفل السريري بضحايا الاغتصاب بإحالة أرسلت خلال الفترة في أجل لا يتجاوز 72 ساعة من بداية يوم الحادثة.',
    },
    unit: 'persons',
    aggregation: 'distinct_count',
    sdg: ['5.2'],
    disaggregations: PERSON_DISAGGREGATIONS,
  },
  {
    code: 'REF-1',
    theme: 'referral',
    name: { en: 'Referrals made', fr: 'Orientations effectuées', ar: 'الإحالات المنجزة' },
    definition: {
      en: 'Referrals sent (left draft) in the period.',
      fr: 'Orientations envoyées (sorties du brouillon) dans la période.',
      ar: 'الإحالات المرسلة (التي غادرت حالة المسودة) خلال الفترة.',
    },
    unit: 'referrals',
    aggregation: 'count',
    sdg: REF_SDG,
    disaggregations: PERSON_DISAGGREGATIONS,
  },
  {
    code: 'REF-2',
    theme: 'referral',
    name: { en: 'Referrals accepted (%)', fr: 'Orientations acceptées (%)', ar: 'الإحالات المقبولة (%)' },
    definition: {
      en: 'Of the referrals sent in the period, the percentage that a provider accepted.',
      fr: 'Parmi les orientations envoyées dans la période, le pourcentage accepté par un prestataire.',
      ar: 'نسبة الإحالات المرسلة خلال الفترة التي قبلها مقدم الخدمة.',
    },
    unit: 'percent',
    aggregation: 'ratio',
    sdg: REF_SDG,
    disaggregations: PERSON_DISAGGREGATIONS,
  },
  {
    code: 'REF-3',
    theme: 'referral',
    name: {
      en: 'Referrals closed with an outcome (%)',
      fr: 'Orientations clôturées avec un résultat (%)',
      ar: 'الإحالات المغلقة بنتيجة (%)',
    },
    definition: {
      en: 'Of the referrals sent in the period, the percentage closed with a recorded outcome (completed or not completed).',
      fr: 'Parmi les orientations envoyées dans la période, le pourcentage clôturé avec un résultat enregistré (réalisée ou non réalisée).',
      ar: 'نسبة الإحالات المرسلة خلال الفترة التي أغلقت بنتيجة مسجلة (منجزة أو غير منجزة).',
    },
    unit: 'percent',
    aggregation: 'ratio',
    sdg: REF_SDG,
    disaggregations: PERSON_DISAGGREGATIONS,
  },
  {
    code: 'REF-4',
    theme: 'referral',
    name: {
      en: 'Median hours to acceptance',
      fr: 'Délai médian d’acceptation (heures)',
      ar: 'الوسيط الزمني للقبول (بالساعات)',
    },
    definition: {
      en: 'Median time in hours between sending and acceptance, over the referrals sent in the period that were accepted.',
      fr: 'Durée médiane en heures entre l’envoi et l’acceptation, pour les orientations envoyées dans la période et acceptées.',
      ar: 'الوسيط الزمني بالساعات بين الإرسال والقبول، للإحالات المرسلة خلال الفترة والتي تم قبولها.',
    },
    unit: 'hours',
    aggregation: 'median',
    sdg: REF_SDG,
    disaggregations: PERSON_DISAGGREGATIONS,
  },
  {
    code: 'REF-5',
    theme: 'referral',
    name: {
      en: 'Median days to service',
      fr: 'Délai médian jusqu’au service (jours)',
      ar: 'الوسيط الزمني حتى تقديم الخدمة (بالأيام)',
    },
    definition: {
      en: 'Median time in days between sending a referral and the first delivery recorded for it, over the referrals sent in the period that led to a delivery.',
      fr: 'Durée médiane en jours entre l’envoi d’une orientation et la première prestation enregistrée pour elle, pour les orientations envoyées dans la période suivies d’une prestation.',
      ar: 'الوسيط الزمني بالأيام بين إرسال الإحالة وأول خدمة مسجلة لها، للإحالات المرسلة خلال الفترة التي أفضت إلى خدمة.',
    },
    unit: 'days',
    aggregation: 'median',
    sdg: REF_SDG,
    disaggregations: PERSON_DISAGGREGATIONS,
  },
  livelihood(
    'LIV-1',
    {
      en: 'Entrepreneurs who received career counselling',
      fr: 'Entrepreneur·es ayant bénéficié d’un conseil en orientation professionnelle',
      ar: 'المقاولون الذين استفادوا من الإرشاد المهني',
    },
    'persons',
    1855,
  ),
  livelihood(
    'LIV-2',
    {
      en: 'Businesses that received start-up support',
      fr: 'Entreprises ayant reçu un appui au démarrage',
      ar: 'المقاولات التي تلقت دعما للانطلاق',
    },
    'persons',
    599,
  ),
  livelihood(
    'LIV-3',
    { en: 'Beneficiaries who opened a business', fr: 'Bénéficiaires ayant ouvert une entreprise', ar: 'المستفيدون الذين أنشأوا مقاولة' },
    'persons',
    28,
  ),
  livelihood('LIV-4', { en: 'Internships', fr: 'Stages', ar: 'التداريب المهنية' }, 'deliveries', 20),
  livelihood('LIV-5', { en: 'Job interviews', fr: 'Entretiens d’embauche', ar: 'مقابلات العمل' }, 'deliveries', 66),
  livelihood(
    'LIV-6',
    {
      en: 'People registered as self-entrepreneurs',
      fr: 'Personnes inscrites comme auto-entrepreneur·es',
      ar: 'الأشخاص المسجلون كمقاولين ذاتيين',
    },
    'persons',
    530,
  ),
  {
    code: 'CAP-1',
    theme: 'capacity',
    name: {
      en: 'Trainings held and representatives trained',
      fr: 'Formations organisées et représentant·es formé·es',
      ar: 'الدورات التكوينية المنظمة والممثلون المكونون',
    },
    definition: {
      en: 'Participants of the training activities held in the period; the number of trainings is given beside it.',
      fr: 'Participant·es aux formations tenues dans la période ; le nombre de formations est donné à côté.',
      ar: 'عدد المشاركين في الدورات التكوينية المنظمة خلال الفترة، مع عدد الدورات.',
    },
    unit: 'participants',
    aggregation: 'count',
    sdg: ['17.14', '16.7'],
    disaggregations: ACTIVITY_DISAGGREGATIONS,
    factsheet: { scope: 'National', figure: 392, note: '7 trainings' },
  },
  {
    code: 'CAP-2',
    theme: 'capacity',
    name: {
      en: 'Workshops, fairs and symposiums and their participants',
      fr: 'Ateliers, foires et colloques et leurs participant·es',
      ar: 'الورشات والمعارض والندوات والمشاركون فيها',
    },
    definition: {
      en: 'Participants of the workshops, fairs and symposiums held in the period; the number of activities is given beside it.',
      fr: 'Participant·es aux ateliers, foires et colloques tenus dans la période ; le nombre d’activités est donné à côté.',
      ar: 'عدد المشاركين في الورشات والمعارض والندوات المنظمة خلال الفترة، مع عدد الأنشطة.',
    },
    unit: 'participants',
    aggregation: 'count',
    sdg: ['16.7', '17.H'],
    disaggregations: [...ACTIVITY_DISAGGREGATIONS, 'activity_kind'],
    factsheet: { scope: 'National and Tanger-Tétouan-Al Hoceïma', figure: 120, note: '4+2 workshops, 3 fairs, 2 symposiums (+120 participants)' },
  },
];

const BY_CODE = new Map(INDICATORS.map((i) => [i.code, i]));

export const isIndicatorCode = (v: unknown): v is IndicatorCode => typeof v === 'string' && BY_CODE.has(v as IndicatorCode);

export function indicator(code: IndicatorCode): IndicatorDefinition {
  return BY_CODE.get(code)!;
}

/** Activity kinds each CAP indicator counts. */
export const CAP_ACTIVITY_KINDS: Record<'CAP-1' | 'CAP-2', readonly ActivityKind[]> = {
  'CAP-1': ['training'],
  'CAP-2': ['workshop', 'fair', 'symposium'],
};

/** Human labels of the dimensions, for exports and the PDF. */
export const DISAGGREGATION_LABELS: Record<Disaggregation, Localised> = {
  period: { en: 'Period', fr: 'Période', ar: 'الفترة' },
  region: { en: 'Region', fr: 'Région', ar: 'الجهة' },
  province: { en: 'Province', fr: 'Province', ar: 'الإقليم' },
  unit: { en: 'Counselling unit', fr: 'Unité d’écoute', ar: 'وحدة الإنصات' },
  sex: { en: 'Sex', fr: 'Sexe', ar: 'الجنس' },
  age_band: { en: 'Age band', fr: 'Tranche d’âge', ar: 'الفئة العمرية' },
  population_group: { en: 'Population group', fr: 'Groupe de population', ar: 'الفئة السكانية' },
  nationality_group: { en: 'Nationality group', fr: 'Groupe de nationalité', ar: 'مجموعة الجنسية' },
  organisation_type: { en: 'Organisation type', fr: 'Type d’organisation', ar: 'نوع المؤسسة' },
  activity_kind: { en: 'Activity kind', fr: 'Type d’activité', ar: 'نوع النشاط' },
};
