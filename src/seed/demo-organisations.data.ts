import type { OrganisationType, Role } from '../authorization/actor.js';

/** Demo organisations (all flagged is_demo). `key` lets other seeders refer to them. */
export interface DemoOrganisation {
  key: string;
  name: string;
  type: OrganisationType;
  code?: string;
  place: string; // place code: a province, or a region
}

export const DEMO_ORGANISATIONS: DemoOrganisation[] = [
  { key: 'programme', name: 'Programme M4SD — équipe nationale (démo)', type: 'programme', place: 'MA-02' },
  { key: 'coord-oriental', name: 'Mécanisme régional de coordination — Oriental (démo)', type: 'coordination_body', place: 'MA-02' },
  { key: 'unit-oujda', name: "Unité d'écoute Oujda (démo)", type: 'counselling_unit', code: 'OUJ', place: 'MA-OUJ' },
  { key: 'unit-berkane', name: "Unité d'écoute Berkane (démo)", type: 'counselling_unit', code: 'BRK', place: 'MA-BER' },
  { key: 'health-oujda', name: 'Unité hospitalière de prise en charge des femmes et enfants victimes de violence — CHR Al Farabi, Oujda (démo)', type: 'service_provider', place: 'MA-OUJ' },
  { key: 'csu-oujda', name: 'Centre de santé urbain Lazaret, Oujda (démo)', type: 'service_provider', place: 'MA-OUJ' },
  { key: 'pss-oujda', name: 'Centre psychosocial associatif, Oujda (démo)', type: 'service_provider', place: 'MA-OUJ' },
  { key: 'legal-oujda', name: 'Permanence d’aide juridique, Oujda (démo)', type: 'service_provider', place: 'MA-OUJ' },
  { key: 'shelter-oujda', name: 'Centre d’hébergement pour femmes, Oujda (démo)', type: 'service_provider', place: 'MA-OUJ' },
  { key: 'health-berkane', name: 'Hôpital provincial de Berkane — unité femmes et enfants (démo)', type: 'service_provider', place: 'MA-BER' },
  { key: 'legal-berkane', name: 'Clinique juridique, Berkane (démo)', type: 'service_provider', place: 'MA-BER' },
  { key: 'pss-berkane', name: 'Espace d’écoute et de soutien psychosocial, Berkane (démo)', type: 'service_provider', place: 'MA-BER' },
  { key: 'health-nador', name: 'Centre de santé Nador — migrants (démo)', type: 'service_provider', place: 'MA-NAD' },
  { key: 'ngo-nador', name: 'Association d’appui aux migrants, Nador (démo)', type: 'service_provider', place: 'MA-NAD' },
  { key: 'jobs-oujda', name: 'Guichet emploi et entrepreneuriat, Oujda (démo)', type: 'service_provider', place: 'MA-OUJ' },
  { key: 'edu-taourirt', name: 'Centre d’éducation non formelle, Taourirt (démo)', type: 'service_provider', place: 'MA-TAI' },
  { key: 'food-oujda', name: 'Banque alimentaire solidaire, Oujda (démo)', type: 'service_provider', place: 'MA-OUJ' },
  { key: 'women-nador', name: 'Espace multifonctionnel pour femmes, Nador (démo)', type: 'service_provider', place: 'MA-NAD' },
  { key: 'health-taourirt', name: 'Centre de santé urbain, Taourirt (démo)', type: 'service_provider', place: 'MA-TAI' },
  { key: 'child-oujda', name: 'Association de protection de l’enfance, Oujda (démo)', type: 'service_provider', place: 'MA-OUJ' },
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
