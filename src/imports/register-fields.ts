import type { Language } from '../authorization/actor.js';
import { fold } from './text.js';

/**
 * The columns a case register may have, with the headers units actually write (fr / ar / en; the
 * first of each language is the template's). Matching folds case, accents and Arabic letter forms.
 */
export const REGISTER_FIELDS = [
  'givenName',
  'familyName',
  'sex',
  'birthDate',
  'age',
  'nationality',
  'populationGroup',
  'phone',
  'documentType',
  'documentNumber',
  'address',
  'disability',
  'openedOn',
  'riskLevel',
  'needs',
  'closedOn',
  'closureReason',
  'sessionDates',
  'livelihoodOutcome',
  'livelihoodDate',
] as const;
export type RegisterField = (typeof REGISTER_FIELDS)[number];

export const REQUIRED_FIELDS: readonly RegisterField[] = ['givenName', 'sex', 'openedOn'];

type Headers = Record<Language, string[]>;

export const FIELD_HEADERS: Record<RegisterField, Headers> = {
  givenName: { fr: ['Prénom'], ar: ['الاسم الشخصي', 'الاسم'], en: ['Given name', 'First name'] },
  familyName: { fr: ['Nom', 'Nom de famille'], ar: ['الاسم العائلي', 'النسب', 'اسم العائلة'], en: ['Family name', 'Last name', 'Surname'] },
  sex: { fr: ['Sexe', 'Genre'], ar: ['الجنس', 'النوع'], en: ['Sex', 'Gender'] },
  birthDate: { fr: ['Date de naissance', 'Né le', 'Née le'], ar: ['تاريخ الازدياد', 'تاريخ الميلاد'], en: ['Date of birth', 'Birth date', 'DOB'] },
  age: { fr: ['Âge'], ar: ['السن', 'العمر'], en: ['Age'] },
  nationality: { fr: ['Nationalité', "Pays d'origine"], ar: ['الجنسية', 'بلد الأصل'], en: ['Nationality', 'Country of origin'] },
  populationGroup: { fr: ['Groupe de population', 'Statut'], ar: ['الفئة', 'الوضعية'], en: ['Population group', 'Status'] },
  phone: { fr: ['Téléphone', 'Tél', 'GSM'], ar: ['الهاتف', 'رقم الهاتف'], en: ['Phone', 'Telephone', 'Mobile'] },
  documentType: { fr: ['Type de document', 'Type de pièce'], ar: ['نوع الوثيقة'], en: ['Document type'] },
  documentNumber: { fr: ['N° de document', 'Numéro de document', 'N° pièce', 'N° passeport'], ar: ['رقم الوثيقة', 'رقم جواز السفر'], en: ['Document number', 'Passport number'] },
  address: { fr: ['Adresse'], ar: ['العنوان'], en: ['Address'] },
  disability: { fr: ['Handicap', 'Situation de handicap'], ar: ['الإعاقة', 'وضعية إعاقة'], en: ['Disability'] },
  openedOn: { fr: ["Date d'ouverture", "Date d'accueil", 'Date du premier contact'], ar: ['تاريخ فتح الملف', 'تاريخ الاستقبال'], en: ['Opening date', 'Date opened', 'Intake date'] },
  riskLevel: { fr: ['Niveau de risque', 'Risque'], ar: ['درجة الخطورة', 'مستوى الخطر'], en: ['Risk level', 'Risk'] },
  needs: { fr: ['Besoins'], ar: ['الاحتياجات'], en: ['Needs'] },
  closedOn: { fr: ['Date de clôture'], ar: ['تاريخ إغلاق الملف', 'تاريخ الإغلاق'], en: ['Closing date', 'Date closed'] },
  closureReason: { fr: ['Motif de clôture'], ar: ['سبب الإغلاق'], en: ['Closure reason'] },
  sessionDates: { fr: ['Dates des séances PSS', 'Séances psychosociales', 'Séances PSS'], ar: ['تواريخ جلسات الدعم النفسي', 'جلسات الدعم النفسي'], en: ['Psychosocial session dates', 'PSS sessions'] },
  livelihoodOutcome: { fr: ['Résultat insertion', 'Insertion économique'], ar: ['نتيجة الإدماج الاقتصادي', 'نتيجة الإدماج'], en: ['Livelihood outcome'] },
  livelihoodDate: { fr: ['Date insertion'], ar: ['تاريخ الإدماج'], en: ['Livelihood date'] },
};

/** Folded header → field, over every language. */
const BY_HEADER = new Map<string, RegisterField>();
for (const f of REGISTER_FIELDS) for (const list of Object.values(FIELD_HEADERS[f])) for (const h of list) BY_HEADER.set(fold(h), f);

export const fieldOfHeader = (header: string): RegisterField | undefined => BY_HEADER.get(fold(header));

export const isRegisterField = (v: unknown): v is RegisterField => typeof v === 'string' && (REGISTER_FIELDS as readonly string[]).includes(v);

/** The template's header row in a language. */
export const templateHeaders = (lang: Language) => REGISTER_FIELDS.map((f) => FIELD_HEADERS[f][lang][0]!);

/** A field's name for a reader (the template header). */
export const fieldLabel = (f: RegisterField, lang: Language) => FIELD_HEADERS[f][lang][0]!;
