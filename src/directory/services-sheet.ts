import type { Cell } from '../imports/register-values.js';
import type { SheetRow } from '../imports/sheet-reader.js';
import { columnLetter, westernDigits } from '../imports/text.js';
import { codeFromLabel, foldText, label, LANGUAGES } from '../vocabulary/index.js';
import { categoriesNamedBy } from './synonyms.data.js';
import { SPOKEN_LANGUAGE_CODES, stableUuid } from './taxonomy.data.js';

/**
 * A services sheet as units keep their service mapping — one row per service, headers in French,
 * Arabic or English, banners above the header row allowed — read into the HSDS service objects the
 * directory import takes. A row names an organisation and a service; the pair is matched to a
 * service the caller already manages (the sheet's fields replace those it gives, the rest is kept),
 * else it is a new service under a stable id (a dry run and the import that follows agree).
 */
type Json = Record<string, unknown>;

export const SHEET_FIELDS = ['organisation', 'service', 'category', 'description', 'address', 'city', 'phone', 'email', 'hours', 'languages', 'free'] as const;
export type SheetField = (typeof SHEET_FIELDS)[number];

/** Header spellings seen in service-mapping sheets (folded before comparison). */
const HEADERS: Record<SheetField, string[]> = {
  organisation: ['organisation', 'organization', 'structure', 'partenaire', 'provider', 'المؤسسة', 'الجهة', 'المنظمة', 'الشريك'],
  service: ['service', 'nom du service', 'service name', 'prestation', 'الخدمة', 'اسم الخدمة'],
  category: ['categorie', 'category', 'type de service', 'domaine', 'secteur', 'الفئة', 'المجال', 'نوع الخدمة'],
  description: ['description', 'details', 'الوصف'],
  address: ['adresse', 'address', 'العنوان'],
  city: ['ville', 'city', 'commune', 'localite', 'المدينة', 'الجماعة'],
  phone: ['telephone', 'tel', 'phone', 'contact', 'رقم الهاتف'],
  email: ['email', 'e-mail', 'courriel', 'mail', 'البريد الإلكتروني'],
  hours: ['horaires', 'heures', 'hours', 'opening hours', 'horaire', 'التوقيت', 'أوقات العمل', 'ساعات العمل'],
  languages: ['langues', 'langue', 'languages', 'language', 'اللغة'],
  free: ['gratuit', 'free', 'gratuite', 'free of charge', 'مجاني', 'مجانية'],
};
// Headers that are also labels of the vocabulary are taken from it, in every language.
for (const lang of LANGUAGES) {
  HEADERS.organisation.push(label('role', 'provider', lang));
  HEADERS.phone.push(label('shareableField', 'phone', lang));
  HEADERS.languages.push(label('shareableField', 'languages', lang));
}
const HEADER_OF = new Map(Object.entries(HEADERS).flatMap(([field, names]) => names.map((n) => [foldText(n), field as SheetField])));

export interface SheetError {
  row: number;
  column: string;
  message: string;
}

export interface SheetColumns {
  headerRow: number;
  /** Field → 0-based cell index. */
  index: Partial<Record<SheetField, number>>;
}

/** The header row: the first of the first 20 rows where at least two cells are known headers (Organisation and Service among them). */
export function findHeader(rows: SheetRow[]): SheetColumns | null {
  for (const r of rows.slice(0, 20)) {
    const index: Partial<Record<SheetField, number>> = {};
    r.cells.forEach((c, i) => {
      const field = typeof c === 'string' ? HEADER_OF.get(foldText(c)) : undefined;
      if (field && index[field] === undefined) index[field] = i;
    });
    if (index.organisation !== undefined && index.service !== undefined) return { headerRow: r.number, index };
  }
  return null;
}

/** The column as the user sees it: its letter and its header. */
export const columnName = (cols: SheetColumns, field: SheetField, headers: Cell[]) => {
  const i = cols.index[field];
  return i === undefined ? field : `${columnLetter(i + 1)} (${String(headers[i] ?? field)})`;
};

const text = (c: Cell | undefined) => (c === null || c === undefined ? undefined : c instanceof Date ? c.toISOString().slice(0, 10) : String(c).trim() || undefined);
const list = (s: string) => s.split(/[,;/،\n]+/).map((x) => x.trim()).filter(Boolean);
const isArabic = (s: string) => /[\u0600-\u06ff]/.test(s);

const YES = new Set(['oui', 'o', 'yes', 'y', 'true', '1', 'x', 'نعم', 'vrai', 'gratuit', 'free', 'مجاني']);
const NO = new Set(['non', 'n', 'no', 'false', '0', 'لا', 'faux', 'payant', 'paid', 'مؤدى']);

const DAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const;
const DAY_NAMES: Array<[string, number]> = [
  ...['lundi', 'lun', 'monday', 'mon', 'الاثنين', 'الإثنين', 'اثنين'].map((n) => [n, 0] as [string, number]),
  ...['mardi', 'mar', 'tuesday', 'tue', 'الثلاثاء'].map((n) => [n, 1] as [string, number]),
  ...['mercredi', 'mer', 'wednesday', 'wed', 'الأربعاء', 'الاربعاء'].map((n) => [n, 2] as [string, number]),
  ...['jeudi', 'jeu', 'thursday', 'thu', 'الخميس'].map((n) => [n, 3] as [string, number]),
  ...['vendredi', 'ven', 'friday', 'fri', 'الجمعة'].map((n) => [n, 4] as [string, number]),
  ...['samedi', 'sam', 'saturday', 'sat', 'السبت'].map((n) => [n, 5] as [string, number]),
  ...['dimanche', 'dim', 'sunday', 'sun', 'الأحد', 'الاحد'].map((n) => [n, 6] as [string, number]),
];
const DAY_OF = new Map(DAY_NAMES.map(([n, d]) => [foldText(n), d]));

/**
 * « Lun-Ven 8h30-16h30 », « lundi au vendredi 08:30 - 12:00, 14:00 - 16:30 ; samedi 9h-12h »,
 * « الاثنين-الجمعة 08:30-16:30 » → weekly opening hours; null when it does not read as such.
 */
export function parseHours(input: string): Array<{ byday: string[]; opensAt: string; closesAt: string }> | null {
  const out: Array<{ byday: string[]; opensAt: string; closesAt: string }> = [];
  const time = '(\\d{1,2})\\s*(?:[:h.]\\s*(\\d{2})?)?';
  const range = new RegExp(`${time}\\s*(?:-|–|à|a|to|إلى|الى)\\s*${time}`, 'gi');
  for (const part of westernDigits(input).split(/[;\n|]+/).map((p) => p.trim()).filter(Boolean)) {
    const firstTime = part.search(/\d/);
    if (firstTime < 0) return null;
    const dayText = part.slice(0, firstTime);
    const words = dayText.split(/[\s,\-–]+|\bau\b|\bà\b|\bto\b|إلى|الى/).map((w) => foldText(w)).filter(Boolean);
    const days = words.map((w) => DAY_OF.get(w));
    if (!days.length || days.some((d) => d === undefined)) return null;
    const isRange = /-|–|\bau\b|\bà\b|\bto\b|إلى|الى/.test(dayText) && days.length === 2;
    const indexes = isRange ? Array.from({ length: ((days[1]! - days[0]! + 7) % 7) + 1 }, (_, i) => (days[0]! + i) % 7) : (days as number[]);
    const times = [...part.slice(firstTime).matchAll(range)];
    if (!times.length) return null;
    const hhmm = (h: string, m: string | undefined) => (Number(h) > 24 ? null : `${h.padStart(2, '0')}:${m ?? '00'}`);
    for (const t of times) {
      const opensAt = hhmm(t[1]!, t[2]);
      const closesAt = hhmm(t[3]!, t[4]);
      if (!opensAt || !closesAt) return null;
      out.push({ byday: indexes.map((i) => DAYS[i]!), opensAt, closesAt });
    }
  }
  return out.length ? out : null;
}

/** A category: a label or code of the vocabulary, else the everyday words the public search knows. */
function categoryOf(s: string): string | undefined {
  const code = codeFromLabel('category', s);
  if (code) return code;
  const named = categoriesNamedBy(s);
  return named.categories.length === 1 && !named.rest.trim() ? named.categories[0] : undefined;
}

function languageOf(s: string): string | undefined {
  const code = codeFromLabel('spokenLanguage', s);
  return code && (SPOKEN_LANGUAGE_CODES as readonly string[]).includes(code) ? code : undefined;
}

const serviceKey = (organisation: string, service: string) => `${foldText(organisation)}\u0000${foldText(service)}`;

/** The services a caller manages, by (organisation name, any name of the service). */
export function existingByName(services: Json[]): Map<string, Json> {
  const m = new Map<string, Json>();
  for (const s of services) {
    const org = String((s.organization as Json | undefined)?.name ?? '');
    const names = [s.name, ...Object.values((s.name_i18n as Json | undefined) ?? {})].filter((n): n is string => typeof n === 'string');
    for (const n of names) if (!m.has(serviceKey(org, n))) m.set(serviceKey(org, n), s);
  }
  return m;
}

/** The HSDS service object of each service row, and the errors of cells that do not read. */
export function servicesFromSheet(rows: SheetRow[], cols: SheetColumns, existing: Map<string, Json>): { records: Array<{ row: number; value: Json }>; errors: SheetError[] } {
  const headers = rows.find((r) => r.number === cols.headerRow)?.cells ?? [];
  const records: Array<{ row: number; value: Json }> = [];
  const errors: SheetError[] = [];
  for (const r of rows) {
    if (r.number <= cols.headerRow) continue;
    const get = (f: SheetField) => {
      const i = cols.index[f];
      return i === undefined ? undefined : text(r.cells[i]);
    };
    if (SHEET_FIELDS.every((f) => get(f) === undefined)) continue; // blank rows
    const fail = (f: SheetField, message: string) => errors.push({ row: r.number, column: columnName(cols, f, headers), message });
    const organisation = get('organisation');
    const name = get('service');
    if (!organisation) fail('organisation', 'the organisation is required');
    if (!name) fail('service', 'the service name is required');
    if (!organisation || !name) continue;
    const base = existing.get(serviceKey(organisation, name));
    const id = (base?.id as string | undefined) ?? stableUuid(`sheet-service:${serviceKey(organisation, name)}`);
    const s: Json = base ? { ...base } : { id, organization: { name: organisation }, name_i18n: {}, visibility_tier: 'public' };
    if (!base) (s.name_i18n as Json)[isArabic(name) ? 'ar' : 'fr'] = name;
    const categories = get('category');
    if (categories) {
      const codes = list(categories).map((c) => [c, categoryOf(c)] as const);
      const unknown = codes.filter(([, c]) => !c).map(([t]) => t);
      if (unknown.length) fail('category', `unknown category: ${unknown.length} value(s) not in the list of categories`);
      s.categories = [...new Set(codes.flatMap(([, c]) => (c ? [c] : [])))];
      delete s.attributes;
    } else if (!base) fail('category', 'at least one category is required');
    const description = get('description');
    if (description) s.description_i18n = { ...((base?.description_i18n as Json | undefined) ?? {}), [isArabic(description) ? 'ar' : 'fr']: description };
    const address = get('address');
    const city = get('city');
    if (address || city) {
      const sal = ((base?.service_at_locations as Json[] | undefined) ?? [])[0];
      const location = (sal?.location as Json | undefined) ?? {};
      const old = ((location.addresses as Json[] | undefined) ?? [])[0] ?? {};
      const locationId = (location.id as string | undefined) ?? stableUuid(`sheet-location:${id}`);
      s.service_at_locations = [
        {
          id: (sal?.id as string | undefined) ?? stableUuid(`sheet-sal:${id}`),
          location: { ...location, id: locationId, name: location.name ?? name, addresses: [{ ...old, id: old.id ?? stableUuid(`sheet-address:${id}`), address_1: address ?? old.address_1 ?? city, city: city ?? old.city }] },
        },
      ];
    }
    const phone = get('phone');
    if (phone) s.phones = list(phone).map((number, i) => ({ id: stableUuid(`sheet-phone:${id}:${i}`), number: westernDigits(number) }));
    const email = get('email');
    if (email) s.email = email;
    const hours = get('hours');
    if (hours) {
      const parsed = parseHours(hours);
      if (!parsed) fail('hours', 'hours must read as days and times, e.g. « Lun-Ven 08:30-16:30 »');
      else s.schedules = parsed.map((h, i) => ({ id: stableUuid(`sheet-schedule:${id}:${i}`), byday: h.byday.join(','), opens_at: h.opensAt, closes_at: h.closesAt }));
    }
    const languages = get('languages');
    if (languages) {
      const codes = list(languages).map((l) => [l, languageOf(l)] as const);
      if (codes.some(([, c]) => !c)) fail('languages', `unknown language: ${codes.filter(([, c]) => !c).length} value(s) not in the list of languages`);
      s.languages = [...new Set(codes.flatMap(([, c]) => (c ? [c] : [])))].map((code) => ({ code }));
    }
    const free = get('free');
    if (free) {
      const f = foldText(free);
      if (YES.has(f)) s.free_of_charge = true;
      else if (NO.has(f)) s.free_of_charge = false;
      else fail('free', 'free must be yes or no (oui / non, نعم / لا)');
    }
    records.push({ row: r.number, value: s });
  }
  return { records, errors };
}

/** The sheet column an HSDS field of a rebuilt service came from. */
export function sheetFieldOf(hsdsPath: string): SheetField {
  const p = hsdsPath;
  if (p.startsWith('organization')) return 'organisation';
  if (p.startsWith('categories') || p.startsWith('attributes')) return 'category';
  if (p.startsWith('description')) return 'description';
  if (p.startsWith('phones')) return 'phone';
  if (p.startsWith('email')) return 'email';
  if (p.startsWith('schedules')) return 'hours';
  if (p.startsWith('languages')) return 'languages';
  if (p.startsWith('free_of_charge')) return 'free';
  if (p.includes('city')) return 'city';
  if (p.startsWith('service_at_locations')) return 'address';
  return 'service';
}
