import { PROGRAMME_TIME_ZONE } from '../vocabulary/index.js';
import type { Language } from '../authorization/actor.js';
import type { ServiceGraph } from './directory.repository.js';
import type { Organisation } from '../organisations/organisation.entity.js';
import type { DirectoryOrganisation } from './directory.entity.js';
import { pick, SPOKEN_LANGUAGES, stableUuid, TAXONOMIES, TERM_BY_CODE, type Term } from './taxonomy.data.js';
import type { HsdsOrganizationView, HsdsServiceView, HsdsTaxonomyTermView, HsdsTaxonomyView } from './hsds.views.js';

/**
 * HSDS 3.1 JSON ⇄ the directory model. Output follows `schema/compiled/service.json`; the Tawjih
 * profile adds the fields listed in HSDS_PROFILE (all optional for an HSDS consumer).
 */
export const HSDS_VERSION = '3.1';

export const HSDS_PROFILE = {
  name: 'Tawjih directory profile',
  base: 'HSDS 3.1',
  extensions: {
    service: {
      name_i18n: 'object {fr, ar, en}: the name in each language (`name` is the one asked for with ?lang, falling back fr → ar → en)',
      description_i18n: 'object {fr, ar, en}',
      eligibility_description_i18n: 'object {fr, ar, en}',
      categories: 'array of category codes (taxonomy "category"); also given as attributes with taxonomy terms',
      populations: 'array of population codes (taxonomy "population")',
      free_of_charge: 'boolean',
      no_documents_required: 'boolean: no identity or residence document is asked for',
      interpreter_available: 'boolean: an interpreter can be arranged',
      capacity_status: 'accepting | waiting_list | not_accepting',
      visibility_tier: 'public (anyone) | partners (signed-in users) | restricted (counselling units and coordinators)',
      province: 'place code of the province (e.g. MA-OUJ)',
      referral_focal_points: 'array of {id, user_id?, email?, name?, language}: notified of new referrals (management views only)',
      response_deadline_hours: 'object {emergency, urgent, routine}: overrides of the default response deadlines (management views only)',
    },
    organization: {
      description_i18n: 'object {fr, ar, en}: the description in each language',
      name_i18n: 'object {fr, ar}: the name in French and Arabic, when held in Arabic (`name` is the one asked for with ?lang)',
    },
    location: { province: 'place code of the province', name_i18n: 'object {fr, ar}: the name in French and Arabic, when held in Arabic' },
    address: { address_1_i18n: 'object {fr, ar}: the street in French and Arabic, when held in Arabic', city_i18n: 'object {fr, ar}: the city in French and Arabic, when held in Arabic' },
    service_area: { place: 'place code' },
  },
};

type Json = Record<string, unknown>;

/** Drops null/undefined (HSDS types are strict: a string field may not be null). */
function clean<T extends Json>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null && v !== undefined)) as T;
}

const iso = (d: Date | string | null | undefined) => (d == null ? undefined : new Date(d).toISOString());
const hhmm = (t: string) => t.slice(0, 5);
const i18n = (fr: string | null, ar: string | null, en: string | null) => clean({ fr, ar, en });
/** An organisation's or a location's text held in French and Arabic: both, when the Arabic is held (exports carry it). */
const frAr = (fr: string | null, ar: string | null) => (ar ? i18n(fr, ar, null) : undefined);

export function termJson(t: Term, lang: Language): HsdsTaxonomyTermView {
  const taxonomy = TAXONOMIES.find((x) => x.code === t.taxonomy)!;
  return {
    id: t.id,
    code: t.code,
    name: t.labels[lang],
    description: `${t.labels.fr} / ${t.labels.ar} / ${t.labels.en}`,
    taxonomy: taxonomy.name,
    taxonomy_id: taxonomy.id,
    language: lang,
  };
}

export function taxonomyJson(t: (typeof TAXONOMIES)[number]): HsdsTaxonomyView {
  return { id: t.id, name: t.name, description: t.description, version: t.version };
}

/** `nameLang`: the language of its name (an export keeps the French: see HsdsOptions.interchange). */
export function organisationJson(org: Organisation, profile: DirectoryOrganisation | null, lang: Language, nameLang: Language = lang): HsdsOrganizationView {
  const name = pick({ fr: org.name, ar: org.nameAr }, nameLang) ?? org.name;
  return clean({
    id: org.id,
    name,
    name_i18n: frAr(org.name, org.nameAr),
    alternate_name: profile?.alternateName,
    description: pick({ fr: profile?.descriptionFr, ar: profile?.descriptionAr, en: profile?.descriptionEn }, lang) ?? name,
    // Tawjih profile: every language of the description, so an export imports back whole.
    description_i18n: profile && (profile.descriptionFr || profile.descriptionAr || profile.descriptionEn) ? i18n(profile.descriptionFr, profile.descriptionAr, profile.descriptionEn) : undefined,
    email: profile?.email,
    website: profile?.website,
    phones: profile?.phone ? [{ id: stableUuid(`org-phone:${org.id}`), organization_id: org.id, number: profile.phone }] : undefined,
  });
}

export interface HsdsOptions {
  lang: Language;
  /** Focal points and response deadlines: only for callers who manage the service. */
  management: boolean;
  /**
   * An export, read back by an import: the service's name, description and eligibility, the
   * organisation's and locations' names, streets and cities stay in French (the fields an import
   * stores them in), whatever `lang`; the `*_i18n` fields carry every language held.
   */
  interchange?: boolean;
}

export function serviceJson(g: ServiceGraph, o: HsdsOptions): HsdsServiceView {
  const s = g.service;
  const where: Language = o.interchange ? 'fr' : o.lang;
  const placeCode = (id: string | null) => (id ? g.places.get(id)?.code : undefined);
  const placeName = (id: string | null) => {
    const p = id ? g.places.get(id) : undefined;
    return p ? (o.lang === 'ar' ? p.nameAr : p.nameFr) : undefined;
  };
  const terms = [
    ...s.categories.map((c) => TERM_BY_CODE.get(`category:${c}`)),
    ...s.populations.map((c) => TERM_BY_CODE.get(`population:${c}`)),
  ].filter((t): t is Term => !!t);
  const body: Json = {
    id: s.id,
    organization_id: s.organisationId,
    name: pick({ fr: s.nameFr, ar: s.nameAr, en: s.nameEn }, where) ?? '',
    alternate_name: s.alternateName,
    description: pick({ fr: s.descriptionFr, ar: s.descriptionAr, en: s.descriptionEn }, where),
    url: s.url,
    email: s.email,
    status: s.status,
    interpretation_services: s.interpreterAvailable ? 'An interpreter can be arranged.' : undefined,
    application_process: s.applicationProcess,
    fees_description: s.feesDescription,
    wait_time: s.waitTime,
    eligibility_description: pick({ fr: s.eligibilityFr, ar: s.eligibilityAr, en: s.eligibilityEn }, where),
    minimum_age: s.minimumAge,
    maximum_age: s.maximumAge,
    assured_date: s.assuredDate,
    assurer_email: s.assurerEmail,
    alert: s.alert,
    last_modified: iso(s.lastModified),
    phones: g.phones.map((p) =>
      clean({
        id: p.id,
        service_id: s.id,
        number: p.number,
        type: p.type,
        description: p.description,
        languages: p.languages.map((code) => languageJson(stableUuid(`phone-language:${p.id}:${code}`), code, o.lang, { phone_id: p.id })),
      }),
    ),
    schedules: g.schedules.map((sc) =>
      clean({
        id: sc.id,
        service_id: s.id,
        freq: 'WEEKLY',
        wkst: 'MO',
        byday: sc.byday.join(','),
        opens_at: hhmm(sc.opensAt),
        closes_at: hhmm(sc.closesAt),
        valid_from: sc.validFrom,
        valid_to: sc.validTo,
        description: sc.description,
        notes: sc.notes ?? `Times are local to ${PROGRAMME_TIME_ZONE}.`,
      }),
    ),
    service_areas: g.serviceAreas.map((a) =>
      clean({ id: a.id, service_id: s.id, name: a.name ?? placeName(a.placeId), description: a.description, extent_type: a.placeId ? 'place' : undefined, place: placeCode(a.placeId) }),
    ),
    service_at_locations: g.locations.map((l) =>
      clean({
        id: l.serviceAtLocationId,
        service_id: s.id,
        location_id: l.id,
        description: l.serviceAtLocationDescription,
        location: clean({
          id: l.id,
          location_type: l.locationType,
          organization_id: l.organisationId,
          name: pick({ fr: l.name, ar: l.nameAr }, where),
          name_i18n: frAr(l.name, l.nameAr),
          description: l.description,
          transportation: l.transportation,
          latitude: l.latitude,
          longitude: l.longitude,
          province: placeCode(l.provinceId),
          addresses: l.address1
            ? [
                clean({
                  id: l.addressId,
                  location_id: l.id,
                  address_1: pick({ fr: l.address1, ar: l.address1Ar }, where),
                  address_1_i18n: frAr(l.address1, l.address1Ar),
                  address_2: l.address2,
                  city: pick({ fr: l.city, ar: l.cityAr }, where) ?? '',
                  city_i18n: frAr(l.city, l.cityAr),
                  region: placeName(s.regionId),
                  state_province: placeName(l.provinceId) ?? '',
                  postal_code: l.postalCode ?? '',
                  country: l.country,
                  address_type: 'physical',
                }),
              ]
            : [],
        }),
      }),
    ),
    languages: g.languages.map((l) => languageJson(l.id, l.code, o.lang, { service_id: s.id, note: l.note })),
    organization: organisationJson(g.organisation, g.profile, o.lang, where),
    cost_options: g.costOptions.map((c) =>
      clean({ id: c.id, service_id: s.id, option: c.option, amount: c.amount, currency: c.currency, amount_description: c.amountDescription }),
    ),
    required_documents: g.requiredDocuments.map((d) => clean({ id: d.id, service_id: s.id, document: d.document, uri: d.uri })),
    contacts: g.contacts.map((c) =>
      clean({
        id: c.id,
        service_id: s.id,
        name: c.name,
        title: c.title,
        email: c.email,
        phones: c.phone ? [{ id: stableUuid(`contact-phone:${c.id}`), contact_id: c.id, number: c.phone }] : [],
      }),
    ),
    capacities: g.capacities.map((c) =>
      clean({
        id: c.id,
        service_id: s.id,
        unit: { id: c.unitId, name: c.unitName },
        available: c.available,
        maximum: c.maximum,
        description: c.description,
        updated: iso(c.updated),
      }),
    ),
    attributes: terms.map((t) => ({
      id: stableUuid(`attribute:${s.id}:${t.id}`),
      link_id: s.id,
      link_type: t.taxonomy,
      link_entity: 'service',
      taxonomy_term_id: t.id,
      taxonomy_term: termJson(t, o.lang),
      value: t.code,
      label: t.labels[o.lang],
    })),
    // Tawjih profile
    name_i18n: i18n(s.nameFr, s.nameAr, s.nameEn),
    description_i18n: i18n(s.descriptionFr, s.descriptionAr, s.descriptionEn),
    eligibility_description_i18n: i18n(s.eligibilityFr, s.eligibilityAr, s.eligibilityEn),
    categories: s.categories,
    populations: s.populations,
    free_of_charge: s.freeOfCharge,
    no_documents_required: s.noDocumentsRequired,
    interpreter_available: s.interpreterAvailable,
    capacity_status: s.capacityStatus,
    visibility_tier: s.tier,
    province: placeCode(s.provinceId),
  };
  if (o.management) {
    body.referral_focal_points = g.focalPoints.map((f) => clean({ id: f.id, user_id: f.userId, email: f.email ?? f.user?.email, name: f.name, language: f.language }));
    body.response_deadline_hours = clean({ emergency: s.responseHoursEmergency, urgent: s.responseHoursUrgent, routine: s.responseHoursRoutine });
  }
  // Built field by field (absent fields left out); HSDS's own schema validates it in test/directory.
  return clean(body) as HsdsServiceView;
}

/** The HSDS list shape: one-to-one fields only (service_list.json). */
export function serviceListItemJson(g: ServiceGraph, o: HsdsOptions, distanceKm: number | null): HsdsServiceView {
  const full = serviceJson(g, o);
  const item = Object.fromEntries(Object.entries(full).filter(([k, v]) => !Array.isArray(v) || k === 'categories' || k === 'populations'));
  return clean({ ...item, id: full.id, name: full.name, distance_km: distanceKm == null ? undefined : Math.round(distanceKm * 10) / 10 }) as HsdsServiceView;
}

function languageJson(id: string, code: string, lang: Language, extra: Json): Json {
  return clean({ id, code, name: SPOKEN_LANGUAGES[code]?.[lang] ?? code, ...extra });
}

// ---- import: HSDS JSON → the create DTO's plain shape -------------------------------------------

const arr = (v: unknown): Json[] => (Array.isArray(v) ? (v as Json[]) : []);
const opt = (v: unknown) => (v === null ? undefined : v);
/** A text and its `_i18n` object of the profile: the French (the i18n's when given, else the plain field) and the Arabic. */
export const frArOf = (plain: unknown, texts: unknown): { fr: unknown; ar: unknown } => {
  const t = texts && typeof texts === 'object' ? (texts as Json) : null;
  return { fr: opt(t ? t.fr : plain), ar: opt(t?.ar) };
};

/** Reads an exported (or hand-written) HSDS service. Unknown HSDS fields are ignored; the DTO validates the rest. */
export function serviceFromHsds(r: Json): Json {
  const name = (r.name_i18n ?? {}) as Json;
  const desc = (r.description_i18n ?? {}) as Json;
  const elig = (r.eligibility_description_i18n ?? {}) as Json;
  const hasI18n = !!r.name_i18n;
  const deadlines = (r.response_deadline_hours ?? {}) as Json;
  const attributeCodes = (taxonomy: string) =>
    arr(r.attributes)
      .map((a) => (a.taxonomy_term as Json | undefined) ?? {})
      .filter((t) => t.taxonomy_id === TAXONOMIES.find((x) => x.code === taxonomy)!.id)
      .map((t) => t.code);
  const strip = (o: Json) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
  return strip({
    id: r.id,
    organisationId: r.organization_id,
    nameFr: opt(hasI18n ? name.fr : r.name),
    nameAr: opt(name.ar),
    nameEn: opt(name.en),
    alternateName: opt(r.alternate_name),
    descriptionFr: opt(hasI18n ? desc.fr : r.description),
    descriptionAr: opt(desc.ar),
    descriptionEn: opt(desc.en),
    eligibilityFr: opt(hasI18n ? elig.fr : r.eligibility_description),
    eligibilityAr: opt(elig.ar),
    eligibilityEn: opt(elig.en),
    url: opt(r.url),
    email: opt(r.email),
    status: opt(r.status),
    tier: opt(r.visibility_tier),
    capacityStatus: opt(r.capacity_status),
    categories: r.categories ?? attributeCodes('category'),
    populations: r.populations ?? attributeCodes('population'),
    freeOfCharge: opt(r.free_of_charge),
    noDocumentsRequired: opt(r.no_documents_required),
    interpreterAvailable: opt(r.interpreter_available),
    feesDescription: opt(r.fees_description),
    applicationProcess: opt(r.application_process),
    waitTime: opt(r.wait_time),
    alert: opt(r.alert),
    minimumAge: opt(r.minimum_age),
    maximumAge: opt(r.maximum_age),
    assuredDate: opt(r.assured_date),
    assurerEmail: opt(r.assurer_email),
    responseHoursEmergency: opt(deadlines.emergency),
    responseHoursUrgent: opt(deadlines.urgent),
    responseHoursRoutine: opt(deadlines.routine),
    locations: arr(r.service_at_locations).map((sal) => {
      const l = (sal.location ?? { id: sal.location_id }) as Json;
      const a = arr(l.addresses)[0] ?? {};
      const [name, street, city] = [frArOf(l.name, l.name_i18n), frArOf(a.address_1, a.address_1_i18n), frArOf(a.city || undefined, a.city_i18n)];
      return strip({
        id: l.id ?? sal.location_id,
        serviceAtLocationId: opt(sal.id),
        name: name.fr,
        nameAr: name.ar,
        description: opt(l.description),
        transportation: opt(l.transportation),
        latitude: opt(l.latitude),
        longitude: opt(l.longitude),
        addressId: opt(a.id),
        address1: street.fr,
        address1Ar: street.ar,
        address2: opt(a.address_2),
        city: city.fr || undefined,
        cityAr: city.ar,
        postalCode: a.postal_code || undefined,
        province: opt(l.province),
      });
    }),
    phones: arr(r.phones).map((p) =>
      strip({ id: p.id, number: p.number, type: opt(p.type), description: opt(p.description), languages: arr(p.languages).map((l) => l.code) }),
    ),
    contacts: arr(r.contacts).map((c) =>
      strip({ id: c.id, name: opt(c.name), title: opt(c.title), email: opt(c.email), phone: arr(c.phones)[0]?.number }),
    ),
    schedules: arr(r.schedules).map((s) =>
      strip({
        id: s.id,
        byday: typeof s.byday === 'string' ? s.byday.split(',').map((d) => d.trim()) : s.byday,
        opensAt: s.opens_at,
        closesAt: s.closes_at,
        validFrom: opt(s.valid_from),
        validTo: opt(s.valid_to),
        description: opt(s.description),
        notes: opt(s.notes),
      }),
    ),
    languages: arr(r.languages).map((l) => strip({ code: l.code, note: opt(l.note) })),
    costOptions: arr(r.cost_options).map((c) =>
      strip({ id: c.id, option: opt(c.option), amount: opt(c.amount), currency: opt(c.currency), amountDescription: opt(c.amount_description) }),
    ),
    requiredDocuments: arr(r.required_documents).map((d) => strip({ id: d.id, document: d.document, uri: opt(d.uri) })),
    serviceAreas: arr(r.service_areas).map((a) => strip({ id: a.id, name: opt(a.name), description: opt(a.description), place: opt(a.place) })),
    capacities: arr(r.capacities).map((c) =>
      strip({ id: c.id, unitName: (c.unit as Json | undefined)?.name, available: c.available, maximum: opt(c.maximum), description: opt(c.description) }),
    ),
    focalPoints: r.referral_focal_points
      ? arr(r.referral_focal_points).map((f) => strip({ id: f.id, userId: opt(f.user_id), email: opt(f.email), name: opt(f.name), language: f.language }))
      : undefined,
  });
}

/** A DTO field path (`schedules.0.closesAt`) as the HSDS field of the imported record (`schedules[0].closes_at`). */
export function hsdsField(path: string): string {
  const renames: Record<string, string> = {
    organisationId: 'organization_id',
    nameFr: 'name_i18n.fr',
    nameAr: 'name_i18n.ar',
    nameEn: 'name_i18n.en',
    descriptionFr: 'description_i18n.fr',
    descriptionAr: 'description_i18n.ar',
    descriptionEn: 'description_i18n.en',
    eligibilityFr: 'eligibility_description_i18n.fr',
    eligibilityAr: 'eligibility_description_i18n.ar',
    eligibilityEn: 'eligibility_description_i18n.en',
    tier: 'visibility_tier',
    locations: 'service_at_locations',
    focalPoints: 'referral_focal_points',
    unitName: 'unit.name',
    serviceAtLocationId: 'id',
    responseHoursEmergency: 'response_deadline_hours.emergency',
    responseHoursUrgent: 'response_deadline_hours.urgent',
    responseHoursRoutine: 'response_deadline_hours.routine',
  };
  return path
    .split('.')
    .map((seg, i, all) => {
      if (/^\d+$/.test(seg)) return `[${seg}]`;
      const base = renames[seg] ?? seg.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`).replace(/^address_1$/, 'address_1');
      const inLocation = all[i - 2] === 'locations' && !['id', 'serviceAtLocationId'].includes(seg);
      return `${i ? '.' : ''}${inLocation ? `location.${base}` : base}`;
    })
    .join('')
    .replace(/\.\[/g, '[')
    .replace('address1', 'address_1')
    .replace('address2', 'address_2');
}
