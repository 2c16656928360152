import type { OrganisationType, Role } from '../authorization/actor.js';

/** Demo organisations (all flagged is_demo). `key` lets other seeders refer to them. */
export interface DemoOrganisation {
  key: string;
  name: string;
  /** The name in Arabic (« (تجريبي) » marks it as demo, as « (démo) » does the French). */
  nameAr: string;
  type: OrganisationType;
  code?: string;
  place: string; // place code: a province, or a region
}

export const DEMO_ORGANISATIONS: DemoOrganisation[] = [
  { key: 'programme', name: 'Programme M4SD — équipe nationale (démo)', nameAr: 'برنامج M4SD — الفريق الوطني (تجريبي)', type: 'programme', place: 'MA-02' },
  { key: 'coord-oriental', name: 'Mécanisme régional de coordination — Oriental (démo)', nameAr: 'الآلية الجهوية للتنسيق — الشرق (تجريبي)', type: 'coordination_body', place: 'MA-02' },
  { key: 'unit-oujda', name: "Unité d'écoute Oujda (démo)", nameAr: 'خلية الإنصات وجدة (تجريبي)', type: 'counselling_unit', code: 'OUJ', place: 'MA-OUJ' },
  { key: 'unit-berkane', name: "Unité d'écoute Berkane (démo)", nameAr: 'خلية الإنصات بركان (تجريبي)', type: 'counselling_unit', code: 'BRK', place: 'MA-BER' },
  { key: 'health-oujda', name: 'Unité hospitalière de prise en charge des femmes et enfants victimes de violence — CHR Al Farabi, Oujda (démo)', nameAr: 'الوحدة الاستشفائية للتكفل بالنساء والأطفال ضحايا العنف — المركز الاستشفائي الجهوي الفارابي، وجدة (تجريبي)', type: 'service_provider', place: 'MA-OUJ' },
  { key: 'csu-oujda', name: 'Centre de santé urbain Lazaret, Oujda (démo)', nameAr: 'المركز الصحي الحضري لازاري، وجدة (تجريبي)', type: 'service_provider', place: 'MA-OUJ' },
  { key: 'pss-oujda', name: 'Centre psychosocial associatif, Oujda (démo)', nameAr: 'المركز الجمعوي للدعم النفسي والاجتماعي، وجدة (تجريبي)', type: 'service_provider', place: 'MA-OUJ' },
  { key: 'legal-oujda', name: 'Permanence d’aide juridique, Oujda (démo)', nameAr: 'مداومة المساعدة القانونية، وجدة (تجريبي)', type: 'service_provider', place: 'MA-OUJ' },
  { key: 'shelter-oujda', name: 'Centre d’hébergement pour femmes, Oujda (démo)', nameAr: 'مركز إيواء النساء، وجدة (تجريبي)', type: 'service_provider', place: 'MA-OUJ' },
  { key: 'health-berkane', name: 'Hôpital provincial de Berkane — unité femmes et enfants (démo)', nameAr: 'المستشفى الإقليمي ببركان — وحدة النساء والأطفال (تجريبي)', type: 'service_provider', place: 'MA-BER' },
  { key: 'legal-berkane', name: 'Clinique juridique, Berkane (démo)', nameAr: 'العيادة القانونية، بركان (تجريبي)', type: 'service_provider', place: 'MA-BER' },
  { key: 'pss-berkane', name: 'Espace d’écoute et de soutien psychosocial, Berkane (démo)', nameAr: 'فضاء الإنصات والدعم النفسي والاجتماعي، بركان (تجريبي)', type: 'service_provider', place: 'MA-BER' },
  { key: 'health-nador', name: 'Centre de santé Nador — migrants (démo)', nameAr: 'المركز الصحي الناظور — المهاجرون (تجريبي)', type: 'service_provider', place: 'MA-NAD' },
  { key: 'ngo-nador', name: 'Association d’appui aux migrants, Nador (démo)', nameAr: 'جمعية دعم المهاجرين، الناظور (تجريبي)', type: 'service_provider', place: 'MA-NAD' },
  { key: 'jobs-oujda', name: 'Guichet emploi et entrepreneuriat, Oujda (démo)', nameAr: 'شباك التشغيل والمقاولة، وجدة (تجريبي)', type: 'service_provider', place: 'MA-OUJ' },
  { key: 'edu-taourirt', name: 'Centre d’éducation non formelle, Taourirt (démo)', nameAr: 'مركز التربية غير النظامية، تاوريرت (تجريبي)', type: 'service_provider', place: 'MA-TAI' },
  { key: 'food-oujda', name: 'Banque alimentaire solidaire, Oujda (démo)', nameAr: 'بنك الطعام التضامني، وجدة (تجريبي)', type: 'service_provider', place: 'MA-OUJ' },
  { key: 'women-nador', name: 'Espace multifonctionnel pour femmes, Nador (démo)', nameAr: 'الفضاء متعدد الوظائف للنساء، الناظور (تجريبي)', type: 'service_provider', place: 'MA-NAD' },
  { key: 'health-taourirt', name: 'Centre de santé urbain, Taourirt (démo)', nameAr: 'المركز الصحي الحضري، تاوريرت (تجريبي)', type: 'service_provider', place: 'MA-TAI' },
  { key: 'child-oujda', name: 'Association de protection de l’enfance, Oujda (démo)', nameAr: 'جمعية حماية الطفولة، وجدة (تجريبي)', type: 'service_provider', place: 'MA-OUJ' },
];

export interface DemoAccount {
  email: string;
  displayName: string;
  organisation: string; // DemoOrganisation.key
  roles: Role[];
  language: 'fr' | 'ar' | 'en';
}

export const DEMO_ACCOUNTS: DemoAccount[] = [
  { email: 'admin@tawjih.test', displayName: 'Admin (démo)', organisation: 'programme', roles: ['admin'], language: 'fr' },
  { email: 'analyst@tawjih.test', displayName: 'Analyste (démo)', organisation: 'programme', roles: ['analyst'], language: 'en' },
  { email: 'coordinator.oriental@tawjih.test', displayName: 'Coordination Oriental (démo)', organisation: 'coord-oriental', roles: ['coordinator'], language: 'fr' },
  { email: 'supervisor.oujda@tawjih.test', displayName: 'Superviseure Oujda (démo)', organisation: 'unit-oujda', roles: ['supervisor'], language: 'fr' },
  { email: 'counsellor.oujda@tawjih.test', displayName: 'Conseillère Oujda (démo)', organisation: 'unit-oujda', roles: ['counsellor'], language: 'fr' },
  { email: 'counsellor2.oujda@tawjih.test', displayName: 'Conseiller 2 Oujda (démo)', organisation: 'unit-oujda', roles: ['counsellor'], language: 'ar' },
  { email: 'counsellor.berkane@tawjih.test', displayName: 'Conseillère Berkane (démo)', organisation: 'unit-berkane', roles: ['counsellor'], language: 'ar' },
  { email: 'provider.health.oujda@tawjih.test', displayName: 'Point focal santé Oujda (démo)', organisation: 'health-oujda', roles: ['provider'], language: 'fr' },
  { email: 'provider.pss.oujda@tawjih.test', displayName: 'Point focal PSS Oujda (démo)', organisation: 'pss-oujda', roles: ['provider'], language: 'ar' },
  { email: 'provider.legal.berkane@tawjih.test', displayName: 'Point focal juridique Berkane (démo)', organisation: 'legal-berkane', roles: ['provider'], language: 'fr' },
];
