import { CATEGORIES, DOCUMENT_TYPES, LANGUAGES, label, type CodeListName } from '../vocabulary/index.js';

/**
 * Everyday words people type for each service category (taxonomy.data.ts), in French, Arabic —
 * Modern Standard and Darija spellings — and English. Kept as data beside the taxonomy: a word
 * here makes the directory find every service of its categories, whatever the services' own texts
 * say. Words are folded like the database folds (see `foldSearch`), so accents, hamza forms,
 * tā' marbūṭa and the article « ال » need not be spelled here twice.
 */
export const CATEGORY_SYNONYMS: Readonly<Record<string, { fr: string[]; ar: string[]; en: string[] }>> = {
  health_care: {
    fr: ['médecin', 'docteur', 'toubib', 'hôpital', 'clinique', 'malade', 'maladie', 'soins', 'santé', 'infirmier', 'infirmière', 'consultation', 'dispensaire', 'urgences', 'vaccin', 'médicament', 'blessure'],
    ar: ['طبيب', 'دكتور', 'طبيبة', 'مستشفى', 'سبيطار', 'صبيطار', 'مصحة', 'مريض', 'مرض', 'صحة', 'علاج', 'دوا', 'دواء', 'ممرض', 'ممرضة', 'مستوصف', 'فحص', 'مستعجلات', 'تلقيح', 'جرح'],
    en: ['doctor', 'physician', 'hospital', 'clinic', 'sick', 'illness', 'health', 'nurse', 'medicine', 'injury', 'emergency room'],
  },
  sexual_reproductive_health: {
    fr: ['grossesse', 'enceinte', 'accouchement', 'sage-femme', 'gynécologue', 'contraception', 'maternité', 'IST', 'VIH'],
    ar: ['حمل', 'حامل', 'ولادة', 'قابلة', 'طبيب النساء', 'منع الحمل', 'أمومة', 'السيدا'],
    en: ['pregnancy', 'pregnant', 'birth', 'midwife', 'gynaecologist', 'contraception', 'maternity', 'HIV'],
  },
  mhpss: {
    fr: ['psychologue', 'psy', 'psychiatre', 'psychologique', 'écoute', 'stress', 'angoisse', 'dépression', 'traumatisme', 'santé mentale', 'parler à quelqu’un'],
    ar: ['طبيب نفسي', 'أخصائي نفسي', 'نفساني', 'نفسي', 'نفسية', 'معالج نفسي', 'اكتئاب', 'قلق', 'صدمة', 'ضغط', 'الصحة النفسية', 'إنصات', 'السيكولوج'],
    en: ['psychologist', 'psychiatrist', 'counselling', 'counseling', 'therapy', 'therapist', 'stress', 'anxiety', 'depression', 'trauma', 'mental health'],
  },
  clinical_management_of_rape: {
    fr: ['viol', 'agression sexuelle', 'violée'],
    ar: ['مغتصبة'],
    en: ['rape', 'sexual assault'],
  },
  legal_aid: {
    fr: ['avocat', 'avocate', 'juriste', 'justice', 'tribunal', 'droit', 'droits', 'plainte', 'procès', 'juridique', 'police'],
    ar: ['محامي', 'محامية', 'محام', 'قانوني', 'قانون', 'محكمة', 'عدالة', 'حقوق', 'شكاية', 'شكوى', 'دعوى', 'البوليس'],
    en: ['lawyer', 'attorney', 'legal', 'law', 'court', 'justice', 'rights', 'complaint'],
  },
  shelter: {
    fr: ['hébergement', 'logement', 'dormir', 'abri', 'foyer', 'maison', 'refuge'],
    ar: ['إيواء', 'سكن', 'مأوى', 'مبيت', 'دار', 'بيت', 'فين نبات', 'نعس'],
    en: ['shelter', 'housing', 'sleep', 'accommodation', 'refuge', 'safe house'],
  },
  documentation: {
    fr: ['papiers', 'passeport', 'carte de séjour', 'titre de séjour', 'acte de naissance', 'état civil', 'régularisation', 'documents'],
    ar: ['أوراق', 'وراق', 'جواز', 'باسبور', 'كارط سيجور', 'الحالة المدنية', 'تسوية'],
    en: ['papers', 'passport', 'residence permit', 'birth certificate', 'civil registration', 'documents'],
  },
  employment_business: {
    fr: ['travail', 'emploi', 'boulot', 'job', 'entreprise', 'projet', 'formation professionnelle', 'stage', 'auto-entrepreneur'],
    ar: ['خدمة', 'شغل', 'عمل', 'تشغيل', 'مقاولة', 'مشروع', 'تكوين مهني', 'تدريب', 'مقاول ذاتي'],
    en: ['work', 'job', 'employment', 'business', 'training', 'internship', 'self-employed'],
  },
  education: {
    fr: ['école', 'scolarité', 'cours', 'alphabétisation', 'apprendre', 'arabe', 'français'],
    ar: ['مدرسة', 'قراية', 'تعليم', 'دروس', 'محو الأمية', 'تعلم'],
    en: ['school', 'education', 'classes', 'literacy', 'learn'],
  },
  food_basic_needs: {
    fr: ['nourriture', 'manger', 'faim', 'repas', 'vêtements', 'couverture', 'hygiène', 'kit'],
    ar: ['ماكلة', 'أكل', 'طعام', 'جوع', 'وجبة', 'ملابس', 'حوايج', 'غطاء', 'نظافة', 'قفة'],
    en: ['food', 'eat', 'hungry', 'meal', 'clothes', 'blanket', 'hygiene'],
  },
  child_protection: {
    fr: ['enfant', 'enfants', 'mineur', 'mineurs', 'bébé', 'protection de l’enfance'],
    ar: ['طفل', 'أطفال', 'دري', 'دراري', 'قاصر', 'رضيع'],
    en: ['child', 'children', 'minor', 'baby', 'child protection'],
  },
  interpretation: {
    fr: ['interprète', 'traducteur', 'traduction', 'langue'],
    ar: ['مترجم', 'ترجمة', 'ترجمان', 'لغة'],
    en: ['interpreter', 'translator', 'translation', 'language'],
  },
};

/**
 * Words the vocabulary already holds that name a category too (labels live only there): every
 * category's own label, the incident types that lead to clinical care, the documents people ask for.
 */
const FROM_VOCABULARY: ReadonlyArray<[string, CodeListName, string]> = [
  ...CATEGORIES.map((c): [string, CodeListName, string] => [c, 'category', c]),
  ['clinical_management_of_rape', 'incidentType', 'rape'],
  ['clinical_management_of_rape', 'incidentType', 'sexual_assault'],
  ...DOCUMENT_TYPES.filter((d) => d !== 'other').map((d): [string, CodeListName, string] => ['documentation', 'documentType', d]),
];

/**
 * Folding for matching everyday words, as the database's `directory_fold()` does: lower case,
 * accents and harakat off (a hamza carried by a letter goes with them), alef forms to ا, ى to ي,
 * ة to ه, tatweel removed, punctuation to spaces.
 */
export function foldSearch(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[\u0623\u0625\u0622\u0671]/g, '\u0627')
    .replace(/\u0649/g, '\u064A')
    .replace(/\u0629/g, '\u0647')
    .replace(/[\u064B-\u0652\u0670\u0640]/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** A folded word and the forms it may stand for: without the article « ال », without a plural -s. */
function forms(word: string): string[] {
  const out = [word];
  if (word.startsWith('ال') && word.length > 3) out.push(word.slice(2));
  if (/^[a-z]{4,}s$/.test(word)) out.push(word.slice(0, -1));
  return out;
}

const entry = (category: string, text: string) => ({ category, words: foldSearch(text).split(' ').map((w) => (w.startsWith('ال') && w.length > 3 ? w.slice(2) : w)) });
const ENTRIES: Array<{ category: string; words: string[] }> = [
  ...Object.entries(CATEGORY_SYNONYMS).flatMap(([category, byLang]) => [...byLang.fr, ...byLang.ar, ...byLang.en].map((text) => entry(category, text))),
  ...FROM_VOCABULARY.flatMap(([category, list, code]) => LANGUAGES.map((l) => entry(category, label(list, code, l)))),
];

/**
 * The categories a search names with everyday words, and the words left over (those that named
 * nothing). A longer phrase wins over its parts: « طبيب نفسي » is psychosocial, not health care.
 */
export function categoriesNamedBy(text: string): { categories: string[]; rest: string } {
  const words = foldSearch(text).split(' ').filter(Boolean);
  const used = new Set<number>();
  const categories: string[] = [];
  const sorted = [...ENTRIES].sort((a, b) => b.words.length - a.words.length);
  for (const e of sorted) {
    for (let i = 0; i + e.words.length <= words.length; i++) {
      if (e.words.some((_, k) => used.has(i + k))) continue;
      if (e.words.every((w, k) => forms(words[i + k]!).includes(w))) {
        e.words.forEach((_, k) => used.add(i + k));
        if (!categories.includes(e.category)) categories.push(e.category);
      }
    }
  }
  return { categories, rest: words.filter((_, i) => !used.has(i)).join(' ') };
}
