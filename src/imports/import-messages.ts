import type { Language } from '../authorization/actor.js';
import type { IssueCode } from './register-values.js';

/** The reason of a row issue for the person reading the dry run. Never quotes the cell's value. */
export const ISSUE_MESSAGES: Record<IssueCode, Record<Language, string>> = {
  required: { fr: 'Valeur obligatoire manquante.', ar: 'قيمة إلزامية غير موجودة.', en: 'A required value is missing.' },
  unknown_value: {
    fr: 'Valeur non reconnue : utilisez une des valeurs du modèle.',
    ar: 'قيمة غير معروفة: استعملوا إحدى قيم النموذج.',
    en: 'Value not recognised: use one of the template’s values.',
  },
  bad_date: {
    fr: 'Date illisible : écrivez jj/mm/aaaa (ou une date Excel).',
    ar: 'تاريخ غير مقروء: اكتبوه على شكل يوم/شهر/سنة (أو تاريخ إكسل).',
    en: 'Unreadable date: write dd/mm/yyyy (or an Excel date).',
  },
  future_date: { fr: 'La date est dans le futur.', ar: 'التاريخ في المستقبل.', en: 'The date is in the future.' },
  date_too_old: { fr: 'La date est antérieure à 1900.', ar: 'التاريخ سابق لسنة 1900.', en: 'The date is before 1900.' },
  bad_phone: { fr: "Ce n'est pas un numéro de téléphone.", ar: 'هذا ليس رقم هاتف.', en: 'This is not a phone number.' },
  too_long: { fr: 'Texte trop long.', ar: 'النص طويل جدا.', en: 'Text too long.' },
  bad_age: {
    fr: "Âge illisible ou incompatible avec la date de naissance.",
    ar: 'السن غير مقروء أو لا يتوافق مع تاريخ الازدياد.',
    en: 'Age unreadable or inconsistent with the birth date.',
  },
  closed_before_opened: { fr: "La clôture précède l'ouverture du dossier.", ar: 'تاريخ الإغلاق سابق لتاريخ فتح الملف.', en: 'The case is closed before it was opened.' },
  closure_reason_required: { fr: 'Un dossier clos doit avoir un motif de clôture.', ar: 'يجب أن يكون للملف المغلق سبب إغلاق.', en: 'A closed case needs a closure reason.' },
  session_before_opened: { fr: "Une séance précède l'ouverture du dossier.", ar: 'جلسة سابقة لتاريخ فتح الملف.', en: 'A session is dated before the case was opened.' },
  livelihood_date_required: { fr: "Le résultat d'insertion doit être daté.", ar: 'يجب تحديد تاريخ نتيجة الإدماج.', en: 'A livelihood outcome needs a date.' },
  duplicate_existing: {
    fr: 'Probable doublon d’une personne déjà suivie (dossier indiqué).',
    ar: 'تكرار محتمل لشخص متابع من قبل (الملف المشار إليه).',
    en: 'Likely duplicate of a person already followed (case shown).',
  },
  duplicate_in_sheet: {
    fr: 'Probable doublon d’une ligne précédente du fichier.',
    ar: 'تكرار محتمل لسطر سابق في الملف.',
    en: 'Likely duplicate of an earlier row of the sheet.',
  },
};
