import { CODE_LISTS, label, LANGUAGES, type CodeListName, type Language } from '../vocabulary/index.js';

/**
 * The FHIR artefacts this app defines, served as FHIR resources at their canonical URLs under
 * PUBLIC_URL (`<base>/fhir/CodeSystem/<id>`, `/ValueSet/<id>`, `/StructureDefinition/<id>`,
 * `/NamingSystem/<id>`), so a receiving system can resolve every system and extension a referral
 * Bundle uses. Codes and their fr/ar/en displays come from the vocabulary, never from here.
 */
export const FHIR_VERSION = '4.0.1';
export const SDOHCC = 'http://hl7.org/fhir/us/sdoh-clinicalcare';
export const SDOHCC_TEMPORARY_CODES = `${SDOHCC}/CodeSystem/SDOHCC-CodeSystemTemporaryCodes`;
export const PROFILES = {
  serviceRequest: `${SDOHCC}/StructureDefinition/SDOHCC-ServiceRequest`,
  task: `${SDOHCC}/StructureDefinition/SDOHCC-TaskForReferralManagement`,
  consent: `${SDOHCC}/StructureDefinition/SDOHCC-Consent`,
  procedure: `${SDOHCC}/StructureDefinition/SDOHCC-Procedure`,
} as const;

/** Local code systems backed by a vocabulary list (codes and displays in the three languages). */
export const LISTED_CODE_SYSTEMS = {
  'need-category': { list: 'category', title: 'Tawjih need and service categories' },
  'referral-status': { list: 'referralStatus', title: 'Tawjih referral status (Task.businessStatus)' },
  'referral-reason': { list: 'referralReason', title: 'Tawjih reasons to decline, not complete or cancel a referral' },
  'referral-outcome': { list: 'deliveryOutcome', title: 'Tawjih outcomes of a completed referral' },
  'gbvims-incident-type': { list: 'incidentType', title: 'GBVIMS incident types' },
  'gbvims-time-elapsed': { list: 'timeElapsed', title: 'GBVIMS time elapsed between incident and report' },
  'document-type': { list: 'documentType', title: 'Identity document types' },
  'age-band': { list: 'ageBand', title: 'Age bands' },
  'population-group': { list: 'populationGroup', title: 'Population groups' },
  'shareable-field': { list: 'shareableField', title: 'Data a consent lets a referral share' },
} as const satisfies Record<string, { list: CodeListName; title: string }>;
export type ListedSystem = keyof typeof LISTED_CODE_SYSTEMS;

/** The directory's services: codes are HSDS service ids, too many and too changeable to enumerate. */
export const SERVICE_SYSTEM = 'service';
/** Extensions this app defines (on Patient), each with a required binding to its own value set. */
export const EXTENSIONS = { 'age-band': 'age-band', 'population-group': 'population-group' } as const satisfies Record<string, ListedSystem>;
export const NAMING_SYSTEMS = { 'referral-reference': 'Tawjih referral reference (REF-<unit>-<year>-<number>)' } as const;

/**
 * Gravity SDOH categories (SDOHCC ValueSet SDOH Category) that one of our categories falls under,
 * where one applies; the local category always travels beside it. Categories with none (health,
 * legal, documentation, child protection, clinical management of rape: Gravity's only violence domain
 * is intimate-partner violence, which a category cannot assert) carry only the local one.
 */
export const SDOH_CATEGORY: Readonly<Partial<Record<string, { code: string; display: string }>>> = {
  food_basic_needs: { code: 'food-insecurity', display: 'Food Insecurity' },
  shelter: { code: 'homelessness', display: 'Homelessness' },
  employment_business: { code: 'employment-status', display: 'Employment Status' },
  education: { code: 'educational-attainment', display: 'Educational Attainment' },
  interpretation: { code: 'language-access', display: 'Language Access' },
  mhpss: { code: 'stress', display: 'Stress' },
};

/** Canonical URLs under one base (PUBLIC_URL). */
export class FhirCanon {
  readonly base: string;
  constructor(publicUrl: string) {
    this.base = `${publicUrl.replace(/\/+$/, '')}/fhir`;
  }
  codeSystem = (id: ListedSystem | typeof SERVICE_SYSTEM): string => `${this.base}/CodeSystem/${id}`;
  valueSet = (id: ListedSystem): string => `${this.base}/ValueSet/${id}`;
  extension = (id: keyof typeof EXTENSIONS): string => `${this.base}/StructureDefinition/${id}`;
  namingSystem = (id: keyof typeof NAMING_SYSTEMS): string => `${this.base}/NamingSystem/${id}`;

  /** A Coding of a local list, its display in `lang`. */
  coding(system: ListedSystem, code: string, lang: Language): { system: string; code: string; display: string } {
    return { system: this.codeSystem(system), code, display: label(LISTED_CODE_SYSTEMS[system].list, code, lang) };
  }
}

type Json = Record<string, unknown>;
const common = (canon: FhirCanon, type: string, id: string, title: string, lang: Language) => ({
  resourceType: type,
  id,
  url: `${canon.base}/${type}/${id}`,
  version: '1',
  name: id.replace(/(^|-)(\w)/g, (_m, _d, c: string) => c.toUpperCase()),
  title,
  status: 'active',
  experimental: false,
  publisher: 'Tawjih',
  language: lang,
});

/** One local CodeSystem as a FHIR resource; designations give the two other languages. */
export function codeSystemResource(canon: FhirCanon, id: string, lang: Language): Json | null {
  if (id === SERVICE_SYSTEM) {
    return {
      ...common(canon, 'CodeSystem', id, 'Tawjih directory services', lang),
      description: 'Services of the Tawjih directory; a code is the id of an HSDS service (see /hsds/services/{id}).',
      caseSensitive: true,
      content: 'not-present',
    };
  }
  if (!(id in LISTED_CODE_SYSTEMS)) return null;
  const def = LISTED_CODE_SYSTEMS[id as ListedSystem];
  const codes = CODE_LISTS[def.list].codes as readonly string[];
  return {
    ...common(canon, 'CodeSystem', id, def.title, lang),
    caseSensitive: true,
    valueSet: canon.valueSet(id as ListedSystem),
    content: 'complete',
    count: codes.length,
    concept: codes.map((code) => ({
      code,
      display: label(def.list, code, lang),
      designation: LANGUAGES.filter((l) => l !== lang).map((l) => ({ language: l, value: label(def.list, code, l) })),
    })),
  };
}

/** The value set of all codes of one local CodeSystem (what an extension binds to). */
export function valueSetResource(canon: FhirCanon, id: string, lang: Language): Json | null {
  if (!(id in LISTED_CODE_SYSTEMS)) return null;
  const def = LISTED_CODE_SYSTEMS[id as ListedSystem];
  return { ...common(canon, 'ValueSet', id, def.title, lang), compose: { include: [{ system: canon.codeSystem(id as ListedSystem) }] } };
}

/** A simple extension on Patient carrying one code of a local list. */
export function structureDefinitionResource(canon: FhirCanon, id: string, lang: Language): Json | null {
  if (!(id in EXTENSIONS)) return null;
  const system = EXTENSIONS[id as keyof typeof EXTENSIONS];
  const url = canon.extension(id as keyof typeof EXTENSIONS);
  return {
    ...common(canon, 'StructureDefinition', id, LISTED_CODE_SYSTEMS[system].title, lang),
    fhirVersion: FHIR_VERSION,
    kind: 'complex-type',
    abstract: false,
    context: [{ type: 'element', expression: 'Patient' }],
    type: 'Extension',
    baseDefinition: 'http://hl7.org/fhir/StructureDefinition/Extension',
    derivation: 'constraint',
    differential: {
      element: [
        { id: 'Extension', path: 'Extension', min: 0, max: '1' },
        { id: 'Extension.extension', path: 'Extension.extension', max: '0' },
        { id: 'Extension.url', path: 'Extension.url', fixedUri: url },
        { id: 'Extension.value[x]', path: 'Extension.value[x]', min: 1, type: [{ code: 'code' }], binding: { strength: 'required', valueSet: canon.valueSet(system) } },
      ],
    },
  };
}

export function namingSystemResource(canon: FhirCanon, id: string, lang: Language, date: string): Json | null {
  if (!(id in NAMING_SYSTEMS)) return null;
  return {
    resourceType: 'NamingSystem',
    id,
    name: common(canon, 'NamingSystem', id, '', lang).name,
    status: 'active',
    kind: 'identifier',
    date,
    publisher: 'Tawjih',
    description: NAMING_SYSTEMS[id as keyof typeof NAMING_SYSTEMS],
    language: lang,
    uniqueId: [{ type: 'uri', value: canon.namingSystem(id as keyof typeof NAMING_SYSTEMS), preferred: true }],
  };
}

/** What this server does: read the artefacts above; referral Bundles are served by the API. */
export function capabilityStatement(canon: FhirCanon, date: string, lang: Language): Json {
  const read = (type: string, ids: readonly string[]) => ({ type, interaction: [{ code: 'read' }], documentation: `Ids: ${ids.join(', ')}` });
  return {
    resourceType: 'CapabilityStatement',
    id: 'tawjih',
    url: `${canon.base}/metadata`,
    name: 'Tawjih',
    title: 'Tawjih terminology and conformance server',
    status: 'active',
    date,
    publisher: 'Tawjih',
    language: lang,
    kind: 'instance',
    software: { name: 'Tawjih' },
    implementation: { description: 'Tawjih referral system: local code systems, value sets and extensions', url: canon.base },
    fhirVersion: FHIR_VERSION,
    format: ['json'],
    implementationGuide: [`${SDOHCC}/ImplementationGuide/hl7.fhir.us.sdoh-clinicalcare`],
    rest: [
      {
        mode: 'server',
        documentation: 'Public, read-only. Referral Bundles (ServiceRequest + Task, Gravity SDOH closed loop) are served, authenticated, at /api/v1/referrals/{id}/fhir.',
        resource: [
          read('CodeSystem', [...Object.keys(LISTED_CODE_SYSTEMS), SERVICE_SYSTEM]),
          read('ValueSet', Object.keys(LISTED_CODE_SYSTEMS)),
          read('StructureDefinition', Object.keys(EXTENSIONS)),
          read('NamingSystem', Object.keys(NAMING_SYSTEMS)),
        ],
      },
    ],
  };
}
