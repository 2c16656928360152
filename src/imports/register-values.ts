import { codeFromLabel, type CodeListName, type CodeOf } from '../vocabulary/index.js';
import type { Category } from '../common/categories.js';
import type { IntakeRecord } from '../cases/case-intake.service.js';
import type { AgeBand } from '../cases/cases.constants.js';
import type { RegisterField } from './register-fields.js';
import { fold, westernDigits } from './text.js';

/** A cell as the readers give it: text (CSV, XLSX strings), numbers (XLSX, incl. date serials), dates, booleans. */
export type Cell = string | number | Date | boolean | null;

/** What a value problem is; the reader's sentence comes from import-messages.ts. Never the value itself. */
export const ISSUE_CODES = [
  'required',
  'unknown_value',
  'bad_date',
  'future_date',
  'date_too_old',
  'bad_phone',
  'too_long',
  'bad_age',
  'closed_before_opened',
  'closure_reason_required',
  'session_before_opened',
  'livelihood_date_required',
  'duplicate_existing',
  'duplicate_in_sheet',
] as const;
export type IssueCode = (typeof ISSUE_CODES)[number];

/** Warnings do not stop a row; errors do. */
export const WARNINGS: readonly IssueCode[] = ['duplicate_existing', 'duplicate_in_sheet'];

export interface RowIssue {
  field: RegisterField | null;
  code: IssueCode;
}

/** A register row once every value is mapped to the domain's codes: what the cases module takes in. */
export type RegisterRow = IntakeRecord;

/**
 * A code from the vocabulary's own labels (any language, folded) or, failing that, from the other
 * spellings registers use (« F », « Homme », « Réfugiée »), listed here only where the vocabulary has none.
 */
function vocabulary<L extends CodeListName>(list: L, spellings: Partial<Record<CodeOf<L>, string[]>>): (text: string) => CodeOf<L> | undefined {
  const map = new Map<string, CodeOf<L>>();
  for (const [code, labels] of Object.entries(spellings) as Array<[CodeOf<L>, string[]]>) for (const l of labels) map.set(fold(l), code);
  return (text) => codeFromLabel(list, text) ?? map.get(fold(text));
}

const sexOf = vocabulary('sex', {
  female: ['F', 'Femme', 'Féminin', 'Fille', 'Woman', 'Girl', 'W', 'أنثى', 'امرأة', 'إناث', 'طفلة'],
  male: ['M', 'H', 'Homme', 'Masculin', 'Garçon', 'Male', 'Man', 'Boy', 'ذكر', 'رجل', 'ذكور', 'طفل'],
  other: ['Autre', 'Other', 'آخر'],
  unknown: ['Inconnu', 'NSP', 'ND', 'غير معروف'],
});

const populationGroupOf = vocabulary('populationGroup', {
  migrant: ['Migrante', 'مهاجر', 'مهاجرة'],
  refugee_asylum_seeker: ['Réfugié', 'Réfugiée', "Demandeur d'asile", "Demandeuse d'asile", 'Réfugié / demandeur d’asile', 'Refugee', 'Asylum seeker', 'لاجئ', 'لاجئة', 'طالب لجوء', 'طالبة لجوء'],
  moroccan_returnee: ['Marocain de retour', 'Marocaine de retour', 'Retourné', 'Returnee', 'مغربي عائد', 'مغربية عائدة', 'عائد'],
  host_community: ["Communauté d'accueil", 'Communauté hôte', 'Host community', 'المجتمع المضيف', 'مجتمع مضيف'],
});

const documentTypeOf = vocabulary('documentType', {
  passport: ['جواز'],
  national_id: ['CIN', 'CNIE', "Carte d'identité", "Carte nationale d'identité", 'National ID', 'ID card', 'البطاقة الوطنية', 'بطاقة التعريف'],
  residence_card: ['Titre de séjour', 'Residence permit'],
  asylum_seeker_certificate: ["Attestation de demandeur d'asile", 'Attestation HCR', 'Asylum seeker certificate'],
  refugee_card: ['Carte de réfugié', 'بطاقة لاجئ'],
  birth_certificate: ['Extrait de naissance', 'شهادة الميلاد'],
  other: ['Autre', 'Other', 'أخرى'],
});

const riskLevelOf = vocabulary('riskLevel', {
  low: ['Bas', 'Low', 'منخفض', 'منخفضة', 'ضعيف'],
  medium: ['Moyen', 'Modéré', 'Moderate', 'متوسط', 'متوسطة'],
  high: ['Élevé', 'Haut', 'Fort', 'High', 'مرتفع', 'مرتفعة', 'عالي'],
});

const closureReasonOf = vocabulary('closureReason', {
  needs_met: ['Besoins couverts', 'تمت تلبية الاحتياجات'],
  moved: ['Déménagé', 'Parti', 'A quitté la ville', 'Moved', 'Moved away', 'انتقل', 'غادر'],
  lost_contact: ['Perdu de vue', 'Injoignable', 'Lost to follow-up', 'فقدان الاتصال'],
  transferred: ['Transféré', 'أحيل'],
  consent_withdrawn: ['Retrait du consentement', 'سحب الموافقة'],
  deceased: ['Décédé', 'Décédée', 'توفي', 'متوفى'],
});

const livelihoodOutcomeOf = vocabulary('deliveryOutcome', {
  career_counselling: ['Orientation professionnelle', 'Conseil carrière', 'الإرشاد المهني', 'التوجيه المهني'],
  business_startup_support: ['Appui au démarrage', "Appui à la création d'entreprise", 'Start-up support', 'دعم انطلاق المشروع'],
  business_opened: ['Activité créée', 'فتح مشروع', 'إنشاء مقاولة'],
  internship: ['Stage', 'تدريب', 'تدريب مهني'],
  job_interview: ["Entretien d'embauche", 'Entretien'],
  self_entrepreneur_registered: ['Auto-entrepreneur', 'Auto-entrepreneur inscrit', 'Self-entrepreneur registered', 'مقاول ذاتي'],
});

/** What registers write for a need besides the directory's own labels. */
const SHORT_NEEDS: Partial<Record<Category, string[]>> = {
  health_care: ['Santé', 'Médical', 'Health', 'صحة'],
  sexual_reproductive_health: ['SSR', 'SRH'],
  mhpss: ['PSS', 'MHPSS', 'Psychosocial', 'Soutien psychosocial', 'Psychologique', 'دعم نفسي', 'الدعم النفسي'],
  legal_aid: ['Juridique', 'Legal', 'قانوني', 'مساعدة قانونية'],
  shelter: ['Hébergement', 'Abri', 'Logement', 'إيواء'],
  documentation: ['Papiers', 'وثائق'],
  employment_business: ['Emploi', 'Insertion', 'Employment', 'Livelihood', 'تشغيل', 'شغل'],
  education: ['Scolarisation', 'تعليم'],
  food_basic_needs: ['Alimentation', 'Food', 'غذاء'],
  child_protection: ['Protection enfance', 'حماية الطفل'],
  interpretation: ['Interprète', 'ترجمة'],
};

const needOf = vocabulary('category', SHORT_NEEDS);

const YES_NO = new Map<string, boolean>([...['Oui', 'O', 'Y', 'Yes', '1', 'X', 'نعم'].map((v) => [fold(v), true] as const), ...['Non', 'N', 'No', '0', 'لا'].map((v) => [fold(v), false] as const)]);

/**
 * Nationality typed freely (« Camerounaise », « الكاميرون », « Côte d'Ivoire », « CM ») → ISO 3166-1
 * alpha-2. Country names come from the runtime's CLDR data in four languages, demonyms from the
 * list below (the nationalities the units meet most).
 */
const DEMONYMS: Record<string, string[]> = {
  MA: ['Marocain', 'مغربي'], // and the vocabulary's own « moroccan » nationality group, below
  CM: ['Camerounais', 'Camerounaise', 'Cameroonian', 'كاميروني', 'كاميرونية'],
  CI: ['Ivoirien', 'Ivoirienne', 'Ivorian', 'Côte d’Ivoire', 'Cote d Ivoire', 'إيفواري', 'إيفوارية', 'ساحل العاج'],
  GN: ['Guinéen', 'Guinéenne', 'Guinean', 'Guinée Conakry', 'غيني', 'غينية'],
  ML: ['Malien', 'Malienne', 'Malian', 'مالي', 'مالية'],
  SN: ['Sénégalais', 'Sénégalaise', 'Senegalese', 'سنغالي', 'سنغالية'],
  NG: ['Nigérian', 'Nigériane', 'Nigerian', 'نيجيري', 'نيجيرية'],
  NE: ['Nigérien', 'Nigérienne', 'Nigerien'],
  CD: ['Congolais (RDC)', 'RDC', 'DRC', 'Congo RDC', 'Congo Kinshasa'],
  CG: ['Congolais', 'Congolaise', 'Congolese', 'Congo Brazzaville', 'كونغولي', 'كونغولية'],
  SY: ['Syrien', 'Syrienne', 'Syrian', 'سوري', 'سورية'],
  YE: ['Yéménite', 'Yemeni', 'يمني', 'يمنية'],
  SD: ['Soudanais', 'Soudanaise', 'Sudanese', 'سوداني', 'سودانية'],
  SS: ['Sud-Soudanais', 'Sud-Soudanaise', 'South Sudanese'],
  TD: ['Tchadien', 'Tchadienne', 'Chadian', 'تشادي', 'تشادية'],
  BF: ['Burkinabé', 'Burkinabè', 'Burkinabe'],
  GM: ['Gambien', 'Gambienne', 'Gambian'],
  GH: ['Ghanéen', 'Ghanéenne', 'Ghanaian'],
  LR: ['Libérien', 'Libérienne', 'Liberian'],
  SL: ['Sierra-Léonais', 'Sierra-Léonaise', 'Sierra Leonean'],
  DZ: ['Algérien', 'Algérienne', 'Algerian', 'جزائري', 'جزائرية'],
  TN: ['Tunisien', 'Tunisienne', 'Tunisian', 'تونسي', 'تونسية'],
  MR: ['Mauritanien', 'Mauritanienne', 'Mauritanian', 'موريتاني', 'موريتانية'],
  ER: ['Érythréen', 'Érythréenne', 'Eritrean'],
  ET: ['Éthiopien', 'Éthiopienne', 'Ethiopian'],
  SO: ['Somalien', 'Somalienne', 'Somali'],
  CF: ['Centrafricain', 'Centrafricaine', 'Centrafrique', 'RCA'],
  GA: ['Gabonais', 'Gabonaise', 'Gabonese'],
  BJ: ['Béninois', 'Béninoise', 'Beninese'],
  TG: ['Togolais', 'Togolaise', 'Togolese'],
  PS: ['Palestinien', 'Palestinienne', 'Palestinian', 'فلسطيني', 'فلسطينية'],
  IQ: ['Irakien', 'Irakienne', 'Iraqi', 'عراقي', 'عراقية'],
  BD: ['Bangladais', 'Bangladaise', 'Bangladeshi'],
  PK: ['Pakistanais', 'Pakistanaise', 'Pakistani'],
};

const nationalityOf: (text: string) => string | undefined = (() => {
  const map = new Map<string, string>();
  const names = ['fr', 'en', 'ar', 'es'].map((l) => new Intl.DisplayNames([l], { type: 'region', fallback: 'none' }));
  for (let a = 65; a <= 90; a++)
    for (let b = 65; b <= 90; b++) {
      const code = String.fromCharCode(a, b);
      const found = names.map((n) => n.of(code)).filter((n): n is string => !!n && n !== code);
      if (!found.length) continue;
      map.set(fold(code), code);
      for (const n of found) {
        map.set(fold(n), code);
        map.set(fold(n.replace(/^ال/, '')), code);
      }
    }
  // Demonyms last: where a country's name and a demonym collide, the demonym's meaning wins (« Congolais »).
  for (const [code, list] of Object.entries(DEMONYMS)) for (const d of list) map.set(fold(d), code);
  return (text: string) => map.get(fold(text)) ?? map.get(fold(text).replace(/^ال/, '')) ?? (codeFromLabel('nationalityGroup', text) === 'moroccan' ? 'MA' : undefined);
})();

const EXCEL_EPOCH = Date.UTC(1899, 11, 30);
const iso = (y: number, m: number, d: number) => `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;

function validDate(y: number, m: number, d: number): string | null {
  const t = new Date(Date.UTC(y, m - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d ? iso(y, m, d) : null;
}

const fromSerial = (n: number) => new Date(EXCEL_EPOCH + Math.floor(n) * 86_400_000).toISOString().slice(0, 10);

/** dd/mm/yyyy (also - and .), dd/mm/yy, yyyy-mm-dd, Excel serial numbers and date cells → 'YYYY-MM-DD'; null when unreadable. */
export function parseDate(cell: Cell): string | null {
  if (cell instanceof Date) return Number.isNaN(cell.getTime()) ? null : cell.toISOString().slice(0, 10);
  if (typeof cell === 'number') return cell >= 1 && cell < 120_000 ? fromSerial(cell) : null;
  if (typeof cell !== 'string') return null;
  const s = westernDigits(cell).trim();
  let m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})$/.exec(s);
  if (m) {
    let y = Number(m[3]);
    if (m[3]!.length === 2) y += y <= new Date().getUTCFullYear() % 100 ? 2000 : 1900;
    return validDate(y, Number(m[2]), Number(m[1]));
  }
  m = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[T ].*)?$/.exec(s);
  if (m) return validDate(Number(m[1]), Number(m[2]), Number(m[3]));
  if (/^\d{5}(\.\d+)?$/.test(s)) return fromSerial(Number(s));
  return null;
}

const text = (c: Cell): string => {
  if (c === null || c === undefined) return '';
  if (c instanceof Date) return c.toISOString().slice(0, 10);
  return westernDigits(String(c)).replace(/\s+/g, ' ').trim();
};

const ageBandOfAge = (age: number): AgeBand => (age < 18 ? '0-17' : age < 25 ? '18-24' : age < 60 ? '25-59' : '60+');

function ageAt(birth: string, on: string): number {
  const [by, bm, bd] = birth.split('-').map(Number) as [number, number, number];
  const [y, m, d] = on.split('-').map(Number) as [number, number, number];
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

const LIMITS: Partial<Record<RegisterField, number>> = { givenName: 100, familyName: 100, address: 300, documentNumber: 40 };

/**
 * One sheet row (cells by field) → a register row, or the list of what is wrong with it. `today`
 * bounds every date (nothing in the future). The issues never carry the value.
 */
export function mapRow(cells: Partial<Record<RegisterField, Cell>>, today: string): { row: RegisterRow | null; issues: RowIssue[] } {
  const issues: RowIssue[] = [];
  const bad = (field: RegisterField, code: IssueCode) => {
    issues.push({ field, code });
    return null;
  };
  const str = (f: RegisterField): string | null => {
    const v = text(cells[f] ?? null);
    if (!v) return null;
    const max = LIMITS[f];
    return max && v.length > max ? bad(f, 'too_long') : v;
  };
  const coded = <C>(f: RegisterField, of: (t: string) => C | undefined): C | null => {
    const v = str(f);
    if (v === null) return null;
    return of(v) ?? bad(f, 'unknown_value');
  };
  const date = (f: RegisterField, c: Cell | undefined = cells[f]): string | null => {
    if (c === null || c === undefined || text(c) === '') return null;
    const d = parseDate(c);
    if (!d) return bad(f, 'bad_date');
    if (d > today) return bad(f, 'future_date');
    if (d < '1900-01-01') return bad(f, 'date_too_old');
    return d;
  };

  const givenName = str('givenName');
  if (givenName === null && !issues.some((i) => i.field === 'givenName')) bad('givenName', 'required');
  const familyName = str('familyName');
  const sexText = str('sex');
  const sex = sexText === null ? bad('sex', 'required') : (sexOf(sexText) ?? bad('sex', 'unknown_value'));
  const birthDate = date('birthDate');
  let ageBand: AgeBand | null = null;
  const ageText = str('age');
  const openedOn = date('openedOn');
  if (cells.openedOn === undefined || text(cells.openedOn ?? null) === '') bad('openedOn', 'required');
  if (ageText !== null) {
    const age = Number(ageText.replace(/\s*(ans|an|years?|سنة|سنوات)$/i, ''));
    if (!Number.isInteger(age) || age < 0 || age > 120) bad('age', 'bad_age');
    else ageBand = ageBandOfAge(age);
  }
  if (birthDate && openedOn) {
    const derived = ageBandOfAge(ageAt(birthDate, openedOn));
    if (ageBand && ageBand !== derived) bad('age', 'bad_age');
    ageBand = derived;
  }
  const nationality = coded('nationality', nationalityOf);
  const populationGroup = coded('populationGroup', populationGroupOf);
  const phone = str('phone');
  if (phone !== null && !/^[+0-9][0-9 ()./-]{5,24}$/.test(phone)) bad('phone', 'bad_phone');
  const documentType = coded('documentType', documentTypeOf);
  const documentNumber = str('documentNumber');
  const address = str('address');
  const disabilityText = str('disability');
  const disability = disabilityText === null ? null : (YES_NO.get(fold(disabilityText)) ?? bad('disability', 'unknown_value'));
  const riskLevel = coded('riskLevel', riskLevelOf) ?? 'low';
  const needs: Category[] = [];
  for (const part of (str('needs') ?? '').split(/[;,/\n+]+/).map((p) => p.trim()).filter(Boolean)) {
    const c = needOf(part);
    if (!c) {
      bad('needs', 'unknown_value');
      break;
    }
    if (!needs.includes(c)) needs.push(c);
  }
  const closedOn = date('closedOn');
  const closureReason = coded('closureReason', closureReasonOf);
  if (closedOn && openedOn && closedOn < openedOn) bad('closedOn', 'closed_before_opened');
  if (closedOn && !closureReason && !issues.some((i) => i.field === 'closureReason')) bad('closureReason', 'closure_reason_required');
  const sessionDates: string[] = [];
  const sessionsCell = cells.sessionDates;
  const sessionParts = sessionsCell instanceof Date || typeof sessionsCell === 'number' ? [sessionsCell] : text(sessionsCell ?? null).split(/[;,|\n]+|\s{1,}(?=\d)/).map((p) => p.trim()).filter(Boolean);
  for (const p of sessionParts) {
    const d = date('sessionDates', p);
    if (!d) break;
    if (openedOn && d < openedOn) {
      bad('sessionDates', 'session_before_opened');
      break;
    }
    sessionDates.push(d);
  }
  const outcome = coded('livelihoodOutcome', livelihoodOutcomeOf);
  const livelihoodOn = date('livelihoodDate');
  if (outcome && !livelihoodOn && !issues.some((i) => i.field === 'livelihoodDate')) bad('livelihoodDate', 'livelihood_date_required');

  if (issues.length || !givenName || !sex || !openedOn) return { row: null, issues };
  return {
    row: {
      identity: { givenName, familyName, phone, address, documentType, documentNumber },
      sex,
      birthDate,
      ageBand,
      nationality,
      populationGroup,
      disability,
      openedOn,
      riskLevel,
      needs,
      closedOn,
      closureReason,
      sessionDates: [...new Set(sessionDates)].sort(),
      livelihood: outcome && livelihoodOn ? { outcome, on: livelihoodOn } : null,
    },
    issues,
  };
}
