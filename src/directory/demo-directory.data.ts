import type { ServiceTier } from '../authorization/ability.factory.js';
import type { Weekday } from './taxonomy.data.js';
import type { CapacityStatus } from './taxonomy.data.js';

/**
 * One main location per demo provider organisation (DemoOrganisation.key), named in French and
 * Arabic; the city's Arabic is its commune's (places.data.ts).
 */
export const DEMO_LOCATIONS: Record<string, { name: string; nameAr: string; address1: string; address1Ar: string; city: string; postalCode: string; province: string; lat: number; lon: number }> = {
  'health-oujda': { name: 'CHR Al Farabi', nameAr: 'المركز الاستشفائي الجهوي الفارابي', address1: 'Boulevard Allal Ben Abdellah', address1Ar: 'شارع علال بن عبد الله', city: 'Oujda', postalCode: '60000', province: 'MA-OUJ', lat: 34.6786, lon: -1.9124 },
  'csu-oujda': { name: 'Centre de santé Lazaret', nameAr: 'المركز الصحي لازاري', address1: 'Quartier Lazaret', address1Ar: 'حي لازاري', city: 'Oujda', postalCode: '60020', province: 'MA-OUJ', lat: 34.6935, lon: -1.9322 },
  'pss-oujda': { name: 'Centre psychosocial', nameAr: 'المركز النفسي والاجتماعي', address1: 'Rue de Marrakech', address1Ar: 'شارع مراكش', city: 'Oujda', postalCode: '60000', province: 'MA-OUJ', lat: 34.6832, lon: -1.9009 },
  'legal-oujda': { name: 'Permanence juridique', nameAr: 'المداومة القانونية', address1: 'Avenue Mohammed V', address1Ar: 'شارع محمد الخامس', city: 'Oujda', postalCode: '60000', province: 'MA-OUJ', lat: 34.6858, lon: -1.9071 },
  'shelter-oujda': { name: 'Centre d’hébergement', nameAr: 'مركز الإيواء', address1: 'Adresse communiquée par l’unité d’écoute', address1Ar: 'العنوان تبلغه خلية الإنصات', city: 'Oujda', postalCode: '60000', province: 'MA-OUJ', lat: 34.67, lon: -1.92 },
  'child-oujda': { name: 'Maison de l’enfance', nameAr: 'دار الطفولة', address1: 'Quartier Al Qods', address1Ar: 'حي القدس', city: 'Oujda', postalCode: '60030', province: 'MA-OUJ', lat: 34.6701, lon: -1.8902 },
  'jobs-oujda': { name: 'Guichet emploi', nameAr: 'شباك التشغيل', address1: 'Boulevard Derfoufi', address1Ar: 'شارع الدرفوفي', city: 'Oujda', postalCode: '60000', province: 'MA-OUJ', lat: 34.6889, lon: -1.9153 },
  'food-oujda': { name: 'Banque alimentaire', nameAr: 'بنك الطعام', address1: 'Route de Taza', address1Ar: 'طريق تازة', city: 'Oujda', postalCode: '60000', province: 'MA-OUJ', lat: 34.6712, lon: -1.9405 },
  'health-berkane': { name: 'Hôpital provincial', nameAr: 'المستشفى الإقليمي', address1: 'Boulevard Mohammed V', address1Ar: 'شارع محمد الخامس', city: 'Berkane', postalCode: '63300', province: 'MA-BER', lat: 34.9218, lon: -2.3197 },
  'legal-berkane': { name: 'Clinique juridique', nameAr: 'العيادة القانونية', address1: 'Rue Ibn Khaldoun', address1Ar: 'زنقة ابن خلدون', city: 'Berkane', postalCode: '63300', province: 'MA-BER', lat: 34.9235, lon: -2.3258 },
  'pss-berkane': { name: 'Espace d’écoute', nameAr: 'فضاء الإنصات', address1: 'Quartier Hay Al Massira', address1Ar: 'حي المسيرة', city: 'Berkane', postalCode: '63300', province: 'MA-BER', lat: 34.9167, lon: -2.3101 },
  'health-nador': { name: 'Centre de santé', nameAr: 'المركز الصحي', address1: 'Avenue des FAR', address1Ar: 'شارع القوات المسلحة الملكية', city: 'Nador', postalCode: '62000', province: 'MA-NAD', lat: 35.1688, lon: -2.9287 },
  'ngo-nador': { name: 'Local associatif', nameAr: 'المقر الجمعوي', address1: 'Quartier Ouled Mimoun', address1Ar: 'حي أولاد ميمون', city: 'Nador', postalCode: '62000', province: 'MA-NAD', lat: 35.1742, lon: -2.9391 },
  'women-nador': { name: 'Espace femmes', nameAr: 'فضاء النساء', address1: 'Adresse communiquée par l’unité d’écoute', address1Ar: 'العنوان تبلغه خلية الإنصات', city: 'Nador', postalCode: '62000', province: 'MA-NAD', lat: 35.16, lon: -2.93 },
  'edu-taourirt': { name: 'Centre d’éducation', nameAr: 'مركز التربية', address1: 'Avenue Hassan II', address1Ar: 'شارع الحسن الثاني', city: 'Taourirt', postalCode: '65800', province: 'MA-TAI', lat: 34.4092, lon: -2.8953 },
  'health-taourirt': { name: 'Centre de santé urbain', nameAr: 'المركز الصحي الحضري', address1: 'Quartier Al Wahda', address1Ar: 'حي الوحدة', city: 'Taourirt', postalCode: '65800', province: 'MA-TAI', lat: 34.4061, lon: -2.9012 },
};

export interface DemoService {
  key: string;
  org: string;
  categories: string[];
  populations: string[];
  /** Named and described in French, Arabic and English (read in the reader's language). */
  name: { fr: string; ar: string; en: string };
  description: { fr: string; ar: string; en: string };
  tier?: ServiceTier;
  capacity?: CapacityStatus;
  free?: boolean;
  noDocs?: boolean;
  interpreter?: boolean;
  languages: string[];
  hours?: Array<{ days: Weekday[]; opens: string; closes: string }>;
  /** Focal point: a demo account's e-mail (a user of the organisation) or an address. */
  focal?: { user?: string; email?: string; language: 'fr' | 'ar' | 'en' };
  documents?: string[];
  capacityUnits?: { unit: string; available: number; maximum: number };
  responseHours?: { emergency?: number; urgent?: number; routine?: number };
}

const WEEK: Weekday[] = ['MO', 'TU', 'WE', 'TH', 'FR'];
const ALL: Weekday[] = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'];
export const OFFICE = [{ days: WEEK, opens: '08:30', closes: '16:30' }];
export const ALWAYS = [{ days: ALL, opens: '00:00', closes: '23:59' }];
const MORNINGS = [{ days: [...WEEK, 'SA' as Weekday], opens: '09:00', closes: '12:30' }];

const HEALTH_FOCAL = { user: 'provider.health.oujda@tawjih.test', language: 'fr' as const };
const PSS_FOCAL = { user: 'provider.pss.oujda@tawjih.test', language: 'ar' as const };
const LEGAL_BERKANE_FOCAL = { user: 'provider.legal.berkane@tawjih.test', language: 'fr' as const };

export const DEMO_SERVICES: DemoService[] = [
  // --- Oujda: hospital unit for women and children victims of violence (restricted) ---
  { key: 'oujda-cmr', org: 'health-oujda', categories: ['clinical_management_of_rape', 'health_care'], populations: ['women', 'children', 'survivors'], tier: 'restricted', free: true, noDocs: true, interpreter: true, languages: ['ar', 'ary', 'fr'], hours: ALWAYS, focal: HEALTH_FOCAL, responseHours: { emergency: 2 },
    name: { fr: 'Prise en charge clinique du viol (urgences 24 h/24)', ar: 'التكفل السريري بضحايا الاغتصاب (مستعجلات 24/24)', en: 'Clinical management of rape (24-hour emergency)' },
    description: { fr: 'Soins médicaux, contraception d’urgence et prophylaxie post-exposition dans les 72 heures.', ar: 'علاجات طبية ووسائل منع الحمل الاستعجالية والوقاية بعد التعرض خلال 72 ساعة.', en: 'Medical care, emergency contraception and post-exposure prophylaxis within 72 hours.' } },
  { key: 'oujda-violence-unit', org: 'health-oujda', categories: ['health_care', 'mhpss'], populations: ['women', 'children', 'survivors'], tier: 'restricted', free: true, noDocs: true, languages: ['ar', 'ary', 'fr'], hours: OFFICE, focal: HEALTH_FOCAL,
    name: { fr: 'Unité de prise en charge des femmes et enfants victimes de violence', ar: 'وحدة التكفل بالنساء والأطفال ضحايا العنف', en: 'Unit for women and children victims of violence' },
    description: { fr: 'Accueil, certificat médical, orientation vers l’aide juridique.', ar: 'استقبال، شهادة طبية، توجيه نحو المساعدة القانونية.', en: 'Reception, medical certificate, referral to legal aid.' } },
  { key: 'oujda-srh', org: 'health-oujda', categories: ['sexual_reproductive_health'], populations: ['women', 'migrants'], free: true, noDocs: true, languages: ['ar', 'fr', 'en'], hours: OFFICE, focal: HEALTH_FOCAL,
    name: { fr: 'Consultation de santé sexuelle et reproductive', ar: 'استشارة الصحة الجنسية والإنجابية', en: 'Sexual and reproductive health clinic' },
    description: { fr: 'Contraception, dépistage des infections sexuellement transmissibles et suivi gynécologique.', ar: 'وسائل منع الحمل والكشف عن الأمراض المنقولة جنسيا والتتبع النسائي.', en: 'Contraception, screening for sexually transmitted infections and gynaecological follow-up.' } },
  { key: 'oujda-maternity', org: 'health-oujda', categories: ['health_care', 'sexual_reproductive_health'], populations: ['women', 'migrants', 'refugees'], free: true, noDocs: true, capacity: 'waiting_list', languages: ['ar', 'fr'], hours: OFFICE, focal: HEALTH_FOCAL,
    name: { fr: 'Suivi de grossesse', ar: 'تتبع الحمل', en: 'Antenatal care' },
    description: { fr: 'Consultations prénatales, échographie et préparation à l’accouchement.', ar: 'استشارات ما قبل الولادة والفحص بالصدى والتحضير للولادة.', en: 'Antenatal consultations, ultrasound and preparation for childbirth.' } },
  // --- Oujda: urban health centre ---
  { key: 'oujda-csu-primary', org: 'csu-oujda', categories: ['health_care'], populations: ['migrants', 'refugees', 'children', 'women'], free: true, noDocs: true, languages: ['ar', 'ary', 'fr'], hours: OFFICE, focal: { email: 'orientation@csu-lazaret.example', language: 'fr' },
    name: { fr: 'Soins de santé primaires pour migrants', ar: 'العلاجات الصحية الأولية للمهاجرين', en: 'Primary health care for migrants' },
    description: { fr: 'Consultations générales gratuites, sans condition de statut.', ar: 'استشارات عامة مجانية دون شرط الوضعية القانونية.', en: 'Free general consultations, whatever the legal status.' } },
  { key: 'oujda-csu-vaccination', org: 'csu-oujda', categories: ['health_care', 'child_protection'], populations: ['children', 'migrants'], free: true, noDocs: true, languages: ['ar', 'fr'], hours: MORNINGS, focal: { email: 'orientation@csu-lazaret.example', language: 'fr' },
    name: { fr: 'Vaccination des enfants', ar: 'تلقيح الأطفال', en: 'Child vaccination' },
    description: { fr: 'Vaccins du programme national pour les enfants, avec ou sans carnet de santé.', ar: 'لقاحات البرنامج الوطني للأطفال، بدفتر صحي أو بدونه.', en: 'National programme vaccines for children, with or without a health booklet.' } },
  { key: 'oujda-csu-tb', org: 'csu-oujda', categories: ['health_care'], populations: ['migrants', 'refugees'], free: true, noDocs: true, languages: ['ar', 'fr', 'en'], hours: OFFICE,
    name: { fr: 'Dépistage et traitement de la tuberculose', ar: 'الكشف عن داء السل وعلاجه', en: 'Tuberculosis screening and treatment' },
    description: { fr: 'Dépistage, traitement gratuit et suivi jusqu’à la guérison.', ar: 'الكشف والعلاج المجاني والتتبع حتى الشفاء.', en: 'Screening, free treatment and follow-up until cured.' } },
  // --- Oujda: NGO psychosocial centre ---
  { key: 'oujda-pss-individual', org: 'pss-oujda', categories: ['mhpss'], populations: ['migrants', 'refugees', 'survivors', 'women'], free: true, noDocs: true, interpreter: true, languages: ['ar', 'ary', 'fr', 'en'], hours: OFFICE, focal: PSS_FOCAL,
    name: { fr: 'Soutien psychosocial individuel', ar: 'الدعم النفسي والاجتماعي الفردي', en: 'Individual psychosocial support' },
    description: { fr: 'Écoute, soutien psychosocial et orientation vers un psychiatre si nécessaire.', ar: 'الإنصات والدعم النفسي والاجتماعي والتوجيه نحو طبيب نفسي عند الحاجة.', en: 'Listening, psychosocial support and referral to a psychiatrist when needed.' } },
  { key: 'oujda-pss-groups', org: 'pss-oujda', categories: ['mhpss'], populations: ['women', 'survivors'], free: true, noDocs: true, capacity: 'waiting_list', languages: ['ar', 'fr'], hours: [{ days: ['TU', 'TH'], opens: '14:00', closes: '17:00' }], focal: PSS_FOCAL,
    name: { fr: 'Groupes de parole pour femmes', ar: 'مجموعات الحوار للنساء', en: 'Women’s support groups' },
    description: { fr: 'Rencontres en petit groupe le mardi et le jeudi, animées par une professionnelle du soutien psychosocial.', ar: 'لقاءات في مجموعات صغيرة يومي الثلاثاء والخميس، تؤطرها مختصة في الدعم النفسي والاجتماعي.', en: 'Small-group meetings on Tuesdays and Thursdays, led by a psychosocial support professional.' } },
  { key: 'oujda-pss-children', org: 'pss-oujda', categories: ['mhpss', 'child_protection'], populations: ['children', 'unaccompanied_children'], free: true, noDocs: true, languages: ['ar', 'fr'], hours: OFFICE, focal: PSS_FOCAL,
    name: { fr: 'Soutien psychosocial pour enfants', ar: 'الدعم النفسي والاجتماعي للأطفال', en: 'Psychosocial support for children' },
    description: { fr: 'Activités de soutien et d’expression pour les enfants, avec un suivi individuel si besoin.', ar: 'أنشطة الدعم والتعبير للأطفال، مع تتبع فردي عند الحاجة.', en: 'Support and expression activities for children, with individual follow-up when needed.' } },
  { key: 'oujda-interpretation', org: 'pss-oujda', categories: ['interpretation'], populations: ['migrants', 'refugees'], free: true, noDocs: true, tier: 'partners', languages: ['en', 'fr', 'bm', 'wo'], hours: OFFICE, focal: PSS_FOCAL,
    name: { fr: 'Interprètes et médiateurs culturels', ar: 'مترجمون ووسطاء ثقافيون', en: 'Interpreters and cultural mediators' },
    description: { fr: 'Interprètes en anglais, bambara et wolof pour accompagner les rendez-vous chez les partenaires.', ar: 'مترجمون بالإنجليزية والبامبارا والولوف لمرافقة المواعيد لدى الشركاء.', en: 'Interpreters in English, Bambara and Wolof to accompany appointments with partners.' } },
  // --- Oujda: legal aid ---
  { key: 'oujda-legal', org: 'legal-oujda', categories: ['legal_aid'], populations: ['migrants', 'refugees', 'survivors'], free: true, noDocs: true, languages: ['ar', 'fr', 'es'], hours: [{ days: ['MO', 'WE', 'FR'], opens: '09:00', closes: '13:00' }], focal: { email: 'permanence@juridique-oujda.example', language: 'fr' },
    name: { fr: 'Permanence d’aide juridique gratuite', ar: 'مداومة المساعدة القانونية المجانية', en: 'Free legal aid desk' },
    description: { fr: 'Conseil juridique, accompagnement pour déposer plainte.', ar: 'استشارة قانونية ومرافقة لتقديم الشكاية.', en: 'Legal advice, support to file a complaint.' } },
  { key: 'oujda-documentation', org: 'legal-oujda', categories: ['documentation', 'legal_aid'], populations: ['migrants', 'refugees', 'children'], free: true, languages: ['ar', 'fr'], hours: OFFICE, documents: ['Pièce d’identité si disponible'],
    name: { fr: 'Inscription à l’état civil et documents', ar: 'التسجيل في الحالة المدنية والوثائق', en: 'Civil registration and documents' },
    description: { fr: 'Aide à la déclaration des naissances et à l’obtention des documents d’état civil.', ar: 'المساعدة على التصريح بالولادات والحصول على وثائق الحالة المدنية.', en: 'Help to register births and obtain civil registration documents.' } },
  { key: 'oujda-asylum', org: 'legal-oujda', categories: ['legal_aid', 'documentation'], populations: ['refugees'], free: true, noDocs: true, tier: 'partners', capacity: 'not_accepting', languages: ['ar', 'fr', 'en'], hours: OFFICE,
    name: { fr: 'Orientation vers la procédure d’asile', ar: 'التوجيه نحو مسطرة اللجوء', en: 'Guidance on asylum procedures' },
    description: { fr: 'Information sur la demande d’asile et orientation vers le HCR.', ar: 'معلومات حول طلب اللجوء والتوجيه نحو المفوضية السامية لشؤون اللاجئين.', en: 'Information on claiming asylum and referral to UNHCR.' } },
  // --- Oujda: shelter (restricted) ---
  { key: 'oujda-shelter', org: 'shelter-oujda', categories: ['shelter'], populations: ['women', 'survivors', 'children'], tier: 'restricted', free: true, noDocs: true, capacity: 'waiting_list', languages: ['ar', 'ary', 'fr'], hours: ALWAYS, focal: { email: 'admissions@hebergement-oujda.example', language: 'ar' }, capacityUnits: { unit: 'beds', available: 0, maximum: 20 },
    name: { fr: 'Hébergement d’urgence pour femmes victimes de violence', ar: 'إيواء استعجالي للنساء ضحايا العنف', en: 'Emergency shelter for women survivors of violence' },
    description: { fr: 'Hébergement sécurisé à adresse confidentielle, avec accompagnement social ; admission par l’unité d’écoute.', ar: 'إيواء آمن بعنوان سري مع مواكبة اجتماعية؛ يتم القبول عبر خلية الإنصات.', en: 'Safe housing at a confidential address, with social support; admission through the counselling unit.' } },
  { key: 'oujda-shelter-transit', org: 'shelter-oujda', categories: ['shelter', 'food_basic_needs'], populations: ['women', 'children', 'migrants'], tier: 'restricted', free: true, noDocs: true, capacity: 'not_accepting', languages: ['ar', 'fr'], hours: ALWAYS, capacityUnits: { unit: 'beds', available: 0, maximum: 8 },
    name: { fr: 'Hébergement de transition', ar: 'إيواء انتقالي', en: 'Transitional housing' },
    description: { fr: 'Hébergement temporaire pour femmes et enfants en attente d’une solution durable.', ar: 'إيواء مؤقت للنساء والأطفال في انتظار حل دائم.', en: 'Temporary housing for women and children awaiting a lasting solution.' } },
  // --- Oujda: child protection ---
  { key: 'oujda-child-protection', org: 'child-oujda', categories: ['child_protection'], populations: ['children', 'unaccompanied_children'], tier: 'partners', free: true, noDocs: true, languages: ['ar', 'ary', 'fr'], hours: OFFICE, focal: { email: 'protection@enfance-oujda.example', language: 'ar' },
    name: { fr: 'Protection des enfants non accompagnés', ar: 'حماية الأطفال غير المصحوبين', en: 'Protection of unaccompanied children' },
    description: { fr: 'Accueil, mise à l’abri et accompagnement des enfants seuls, en lien avec le juge des mineurs.', ar: 'استقبال وإيواء ومواكبة الأطفال غير المصحوبين بتنسيق مع قاضي الأحداث.', en: 'Reception, safe accommodation and support for children on their own, in liaison with the juvenile judge.' } },
  { key: 'oujda-child-education', org: 'child-oujda', categories: ['education', 'child_protection'], populations: ['children'], free: true, noDocs: true, languages: ['ar', 'fr'], hours: OFFICE,
    name: { fr: 'Soutien scolaire', ar: 'الدعم المدرسي', en: 'School support' },
    description: { fr: 'Cours de soutien et aide aux devoirs pour les enfants scolarisés.', ar: 'دروس الدعم والمساعدة على إنجاز الواجبات للأطفال المتمدرسين.', en: 'Tutoring and homework help for schoolchildren.' } },
  // --- Oujda: jobs and food ---
  { key: 'oujda-jobs-counselling', org: 'jobs-oujda', categories: ['employment_business'], populations: ['migrants', 'refugees', 'women'], free: true, languages: ['ar', 'fr', 'en'], hours: OFFICE, documents: ['Carte de séjour ou récépissé'],
    name: { fr: 'Orientation professionnelle et recherche d’emploi', ar: 'التوجيه المهني والبحث عن الشغل', en: 'Career counselling and job search' },
    description: { fr: 'Bilan de compétences, CV et mise en relation avec des employeurs.', ar: 'تقييم الكفاءات وإعداد السيرة الذاتية والربط مع المشغلين.', en: 'Skills assessment, CV writing and introductions to employers.' } },
  { key: 'oujda-jobs-startup', org: 'jobs-oujda', categories: ['employment_business'], populations: ['migrants', 'women'], free: true, capacity: 'waiting_list', languages: ['ar', 'fr'], hours: OFFICE,
    name: { fr: 'Appui à la création d’entreprise', ar: 'دعم إحداث المقاولات', en: 'Start-up support' },
    description: { fr: 'Accompagnement du projet, formation à la gestion et aide au statut d’auto-entrepreneur.', ar: 'مواكبة المشروع والتكوين في التدبير والمساعدة على الحصول على صفة المقاول الذاتي.', en: 'Project coaching, management training and help to register as a self-entrepreneur.' } },
  { key: 'oujda-jobs-training', org: 'jobs-oujda', categories: ['employment_business', 'education'], populations: ['migrants'], free: false, languages: ['ar', 'fr'], hours: OFFICE,
    name: { fr: 'Formation professionnelle courte', ar: 'تكوين مهني قصير', en: 'Short vocational training' },
    description: { fr: 'Formations de quelques semaines aux métiers du bâtiment, de la restauration et de la couture.', ar: 'تكوينات لبضعة أسابيع في مهن البناء والمطعمة والخياطة.', en: 'Courses of a few weeks in construction, catering and sewing.' } },
  { key: 'oujda-food', org: 'food-oujda', categories: ['food_basic_needs'], populations: ['migrants', 'refugees', 'women', 'children'], free: true, noDocs: true, languages: ['ar', 'fr'], hours: MORNINGS,
    name: { fr: 'Colis alimentaires et kits d’hygiène', ar: 'قفف غذائية وأطقم النظافة', en: 'Food parcels and hygiene kits' },
    description: { fr: 'Colis alimentaires et kits d’hygiène remis du lundi au samedi matin.', ar: 'توزيع القفف الغذائية وأطقم النظافة من الاثنين إلى السبت صباحا.', en: 'Food parcels and hygiene kits handed out Monday to Saturday mornings.' } },
  { key: 'oujda-clothes', org: 'food-oujda', categories: ['food_basic_needs'], populations: ['migrants', 'children'], free: true, noDocs: true, languages: ['ar', 'fr'], hours: [{ days: ['SA'], opens: '09:00', closes: '12:00' }],
    name: { fr: 'Vestiaire solidaire', ar: 'خزانة الملابس التضامنية', en: 'Clothing bank' },
    description: { fr: 'Vêtements et couvertures gratuits, le samedi matin.', ar: 'ملابس وأغطية مجانية، صباح يوم السبت.', en: 'Free clothes and blankets on Saturday mornings.' } },
  // --- Berkane ---
  { key: 'berkane-violence-unit', org: 'health-berkane', categories: ['clinical_management_of_rape', 'health_care'], populations: ['women', 'children', 'survivors'], tier: 'restricted', free: true, noDocs: true, languages: ['ar', 'ary', 'zgh', 'fr'], hours: ALWAYS, focal: { email: 'unite.femmes@hopital-berkane.example', language: 'fr' },
    name: { fr: 'Unité femmes et enfants victimes de violence — Berkane', ar: 'وحدة النساء والأطفال ضحايا العنف — بركان', en: 'Women and children victims of violence unit — Berkane' },
    description: { fr: 'Accueil 24 h/24, soins, certificat médical et prise en charge après un viol.', ar: 'استقبال على مدار الساعة وعلاجات وشهادة طبية والتكفل بعد الاغتصاب.', en: 'Round-the-clock reception, care, medical certificate and care after rape.' } },
  { key: 'berkane-health', org: 'health-berkane', categories: ['health_care'], populations: ['migrants', 'women', 'children'], free: true, noDocs: true, languages: ['ar', 'zgh', 'fr'], hours: OFFICE,
    name: { fr: 'Consultations générales — hôpital provincial', ar: 'الاستشارات العامة — المستشفى الإقليمي', en: 'General consultations — provincial hospital' },
    description: { fr: 'Consultations de médecine générale à l’hôpital provincial, sans condition de statut.', ar: 'استشارات الطب العام بالمستشفى الإقليمي دون شرط الوضعية القانونية.', en: 'General medical consultations at the provincial hospital, whatever the legal status.' } },
  { key: 'berkane-srh', org: 'health-berkane', categories: ['sexual_reproductive_health'], populations: ['women'], free: true, noDocs: true, capacity: 'waiting_list', languages: ['ar', 'fr'], hours: MORNINGS,
    name: { fr: 'Planification familiale', ar: 'تنظيم الأسرة', en: 'Family planning' },
    description: { fr: 'Méthodes de contraception et conseil en planification familiale.', ar: 'وسائل منع الحمل والإرشاد في مجال تنظيم الأسرة.', en: 'Contraceptive methods and family planning advice.' } },
  { key: 'berkane-legal', org: 'legal-berkane', categories: ['legal_aid'], populations: ['women', 'survivors', 'migrants'], free: true, noDocs: true, languages: ['ar', 'ary', 'fr'], hours: OFFICE, focal: LEGAL_BERKANE_FOCAL, responseHours: { routine: 48 },
    name: { fr: 'Aide juridique gratuite pour femmes', ar: 'مساعدة قانونية مجانية للنساء', en: 'Free legal aid for women' },
    description: { fr: 'Conseil, rédaction de plaintes et accompagnement au tribunal.', ar: 'الاستشارة وتحرير الشكايات والمرافقة إلى المحكمة.', en: 'Advice, drafting complaints and accompaniment to court.' } },
  { key: 'berkane-legal-family', org: 'legal-berkane', categories: ['legal_aid', 'documentation'], populations: ['women', 'children'], free: true, languages: ['ar', 'fr'], hours: [{ days: ['TU', 'TH'], opens: '09:00', closes: '12:00' }], focal: LEGAL_BERKANE_FOCAL,
    name: { fr: 'Droit de la famille et état civil', ar: 'قانون الأسرة والحالة المدنية', en: 'Family law and civil registration' },
    description: { fr: 'Conseil sur le mariage, le divorce, la garde des enfants et l’inscription à l’état civil.', ar: 'استشارة حول الزواج والطلاق وحضانة الأطفال والتسجيل في الحالة المدنية.', en: 'Advice on marriage, divorce, child custody and civil registration.' } },
  { key: 'berkane-pss', org: 'pss-berkane', categories: ['mhpss'], populations: ['women', 'survivors', 'migrants'], free: true, noDocs: true, languages: ['ar', 'ary', 'zgh', 'fr'], hours: OFFICE, focal: { email: 'ecoute@pss-berkane.example', language: 'ar' },
    name: { fr: 'Écoute et soutien psychosocial — Berkane', ar: 'الإنصات والدعم النفسي والاجتماعي — بركان', en: 'Listening and psychosocial support — Berkane' },
    description: { fr: 'Écoute individuelle et soutien psychosocial en arabe, darija, amazighe et français.', ar: 'إنصات فردي ودعم نفسي واجتماعي بالعربية والدارجة والأمازيغية والفرنسية.', en: 'One-to-one listening and psychosocial support in Arabic, Darija, Tamazight and French.' } },
  { key: 'berkane-pss-outreach', org: 'pss-berkane', categories: ['mhpss', 'food_basic_needs'], populations: ['migrants'], free: true, noDocs: true, tier: 'partners', languages: ['ar', 'fr', 'en'], hours: [{ days: ['WE'], opens: '10:00', closes: '15:00' }],
    name: { fr: 'Équipe mobile Saïdia–Ahfir', ar: 'الفريق المتنقل السعيدية–أحفير', en: 'Mobile team Saïdia–Ahfir' },
    description: { fr: 'Le mercredi à Saïdia et Ahfir : écoute, premiers secours psychologiques et produits de première nécessité.', ar: 'يوم الأربعاء بالسعيدية وأحفير: إنصات وإسعافات نفسية أولية ومواد الحاجيات الأساسية.', en: 'Wednesdays in Saïdia and Ahfir: listening, psychological first aid and basic necessities.' } },
  // --- Nador ---
  { key: 'nador-health', org: 'health-nador', categories: ['health_care'], populations: ['migrants', 'refugees'], free: true, noDocs: true, interpreter: true, languages: ['ar', 'zgh', 'fr', 'es'], hours: OFFICE, focal: { email: 'migrants@sante-nador.example', language: 'fr' },
    name: { fr: 'Soins de santé pour migrants — Nador', ar: 'العلاجات الصحية للمهاجرين — الناظور', en: 'Health care for migrants — Nador' },
    description: { fr: 'Consultations, soins et orientation pour les migrants, avec un interprète si besoin.', ar: 'استشارات وعلاجات وتوجيه للمهاجرين، مع مترجم عند الحاجة.', en: 'Consultations, care and referral for migrants, with an interpreter when needed.' } },
  { key: 'nador-srh', org: 'health-nador', categories: ['sexual_reproductive_health', 'health_care'], populations: ['women', 'migrants'], free: true, noDocs: true, languages: ['ar', 'fr', 'es'], hours: MORNINGS,
    name: { fr: 'Santé maternelle — Nador', ar: 'صحة الأم — الناظور', en: 'Maternal health — Nador' },
    description: { fr: 'Suivi de grossesse, accouchement et soins du nouveau-né.', ar: 'تتبع الحمل والولادة والعناية بالمولود الجديد.', en: 'Pregnancy follow-up, childbirth and newborn care.' } },
  { key: 'nador-cmr', org: 'health-nador', categories: ['clinical_management_of_rape'], populations: ['women', 'survivors', 'migrants'], tier: 'restricted', free: true, noDocs: true, languages: ['ar', 'fr', 'es'], hours: ALWAYS,
    name: { fr: 'Prise en charge des violences sexuelles — Nador', ar: 'التكفل بضحايا العنف الجنسي — الناظور', en: 'Care after sexual violence — Nador' },
    description: { fr: 'Soins d’urgence après une agression sexuelle, contraception d’urgence et prophylaxie dans les 72 heures.', ar: 'علاجات استعجالية بعد الاعتداء الجنسي ووسائل منع الحمل الاستعجالية والوقاية خلال 72 ساعة.', en: 'Emergency care after sexual assault, emergency contraception and prophylaxis within 72 hours.' } },
  { key: 'nador-ngo-basic', org: 'ngo-nador', categories: ['food_basic_needs', 'shelter'], populations: ['migrants', 'unaccompanied_children'], tier: 'partners', free: true, noDocs: true, capacity: 'not_accepting', languages: ['ar', 'fr', 'en'], hours: OFFICE,
    name: { fr: 'Aide humanitaire d’urgence — Nador', ar: 'المساعدة الإنسانية الاستعجالية — الناظور', en: 'Emergency humanitarian aid — Nador' },
    description: { fr: 'Nourriture, couvertures et mise à l’abri temporaire pour les personnes migrantes en détresse.', ar: 'غذاء وأغطية وإيواء مؤقت للمهاجرين في وضعية صعبة.', en: 'Food, blankets and temporary shelter for migrants in distress.' } },
  { key: 'nador-ngo-legal', org: 'ngo-nador', categories: ['legal_aid', 'documentation'], populations: ['migrants', 'refugees'], free: true, noDocs: true, languages: ['ar', 'fr', 'en', 'es'], hours: OFFICE,
    name: { fr: 'Accompagnement juridique des migrants — Nador', ar: 'المواكبة القانونية للمهاجرين — الناظور', en: 'Legal support for migrants — Nador' },
    description: { fr: 'Information sur les droits, aide aux démarches administratives et suivi des dossiers.', ar: 'الإخبار بالحقوق والمساعدة في الإجراءات الإدارية وتتبع الملفات.', en: 'Information on rights, help with administrative procedures and follow-up of files.' } },
  { key: 'nador-ngo-interpretation', org: 'ngo-nador', categories: ['interpretation'], populations: ['migrants'], free: true, noDocs: true, languages: ['en', 'fr', 'ff', 'ln'], hours: OFFICE,
    name: { fr: 'Interprétariat communautaire — Nador', ar: 'الترجمة المجتمعية — الناظور', en: 'Community interpretation — Nador' },
    description: { fr: 'Interprètes en anglais, peul et lingala pour les consultations et les démarches.', ar: 'مترجمون بالإنجليزية والفولانية واللينغالا للاستشارات والإجراءات.', en: 'Interpreters in English, Fula and Lingala for consultations and procedures.' } },
  { key: 'nador-women-shelter', org: 'women-nador', categories: ['shelter', 'mhpss'], populations: ['women', 'survivors'], tier: 'restricted', free: true, noDocs: true, languages: ['ar', 'zgh', 'fr'], hours: ALWAYS, capacityUnits: { unit: 'beds', available: 3, maximum: 12 },
    name: { fr: 'Accueil et hébergement de femmes — Nador', ar: 'استقبال وإيواء النساء — الناظور', en: 'Women’s reception and shelter — Nador' },
    description: { fr: 'Accueil de jour, écoute et hébergement sécurisé pour femmes victimes de violence ; admission par l’unité d’écoute.', ar: 'استقبال نهاري وإنصات وإيواء آمن للنساء ضحايا العنف؛ يتم القبول عبر خلية الإنصات.', en: 'Day reception, listening and safe housing for women survivors of violence; admission through the counselling unit.' } },
  { key: 'nador-women-jobs', org: 'women-nador', categories: ['employment_business'], populations: ['women'], free: true, languages: ['ar', 'zgh'], hours: OFFICE,
    name: { fr: 'Ateliers d’autonomisation économique des femmes', ar: 'ورشات التمكين الاقتصادي للنساء', en: 'Women’s economic empowerment workshops' },
    description: { fr: 'Ateliers de couture, de cuisine et de gestion pour lancer une activité génératrice de revenus.', ar: 'ورشات في الخياطة والطبخ والتدبير لإطلاق نشاط مدر للدخل.', en: 'Sewing, cooking and management workshops to start an income-generating activity.' } },
  // --- Taourirt ---
  { key: 'taourirt-education', org: 'edu-taourirt', categories: ['education'], populations: ['children', 'unaccompanied_children', 'migrants'], free: true, noDocs: true, languages: ['ar', 'fr'], hours: OFFICE,
    name: { fr: 'Éducation non formelle', ar: 'التربية غير النظامية', en: 'Non-formal education' },
    description: { fr: 'Classes de la deuxième chance pour les enfants non scolarisés ou sortis de l’école.', ar: 'أقسام الفرصة الثانية للأطفال غير المتمدرسين أو المنقطعين عن الدراسة.', en: 'Second-chance classes for children who never went to school or left it.' } },
  { key: 'taourirt-literacy', org: 'edu-taourirt', categories: ['education'], populations: ['women', 'migrants'], free: true, noDocs: true, capacity: 'waiting_list', languages: ['ar', 'fr'], hours: [{ days: ['MO', 'WE'], opens: '17:00', closes: '19:00' }],
    name: { fr: 'Cours d’alphabétisation et de darija', ar: 'دروس محو الأمية والدارجة', en: 'Literacy and Darija classes' },
    description: { fr: 'Cours du soir d’alphabétisation en arabe et de darija pour adultes.', ar: 'دروس مسائية لمحو الأمية بالعربية وتعلم الدارجة للكبار.', en: 'Evening classes in Arabic literacy and Darija for adults.' } },
  { key: 'taourirt-health', org: 'health-taourirt', categories: ['health_care'], populations: ['migrants', 'women', 'children'], free: true, noDocs: true, languages: ['ar', 'fr'], hours: OFFICE,
    name: { fr: 'Soins de santé primaires — Taourirt', ar: 'العلاجات الصحية الأولية — تاوريرت', en: 'Primary health care — Taourirt' },
    description: { fr: 'Consultations générales, vaccination et soins infirmiers au centre de santé urbain.', ar: 'استشارات عامة وتلقيح وعلاجات تمريضية بالمركز الصحي الحضري.', en: 'General consultations, vaccination and nursing care at the urban health centre.' } },
  { key: 'taourirt-pss', org: 'health-taourirt', categories: ['mhpss'], populations: ['survivors', 'women'], tier: 'partners', free: true, noDocs: true, languages: ['ar', 'ary'], hours: [{ days: ['TH'], opens: '09:00', closes: '16:00' }],
    name: { fr: 'Consultation de santé mentale — Taourirt', ar: 'استشارة الصحة النفسية — تاوريرت', en: 'Mental health clinic — Taourirt' },
    description: { fr: 'Consultation du jeudi avec un psychiatre et une infirmière en santé mentale.', ar: 'استشارة يوم الخميس مع مختص في الطب النفسي وممرضة في الصحة النفسية.', en: 'Thursday clinic with a psychiatrist and a mental health nurse.' } },
];
