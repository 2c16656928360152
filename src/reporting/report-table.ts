import { isCode, label, LOCALES, type CodeListName, type Language } from '../vocabulary/index.js';
import { DISAGGREGATION_LABELS, indicator, type Disaggregation, type IndicatorCode } from './indicator-catalogue.js';
import type { Published } from './disclosure.js';

/**
 * One indicator, cut by 0–2 dimensions, after small-number protection: what every output
 * (JSON, CSV, XLSX, PDF, DHIS2) is made from. Coordinates hold codes and ids only; people-facing
 * names come from a Labeller. Nothing in here can identify a person.
 */
export interface ReportTable {
  indicator: IndicatorCode;
  by: Disaggregation[];
  from: string;
  to: string;
  /** Cells and margins; `coord[i]` is the value of `by[i]`, null = total. */
  entries: Published[];
  /** REF-1 only: the referral chain's steps (sent, accepted, closed with an outcome, completed), each aligned with `entries`. */
  funnel?: Published[][];
  /** CAP indicators: number of activities behind the participants (not sensitive: events, not people). */
  activities?: number;
  /** CAP indicators: activities behind each entry, aligned with `entries`. */
  activityCounts?: number[];
}

/** Turns a dimension value (a code, a place or organisation id) into a name in a language. */
export type Labeller = (dimension: Disaggregation, value: string | null, language: Language) => string;

const TOTAL: Record<Language, string> = { fr: 'Total', ar: 'المجموع', en: 'Total' };

/** The vocabulary list behind each closed dimension; open ones (places, units, periods) are named by id. */
const DIMENSION_LISTS: Partial<Record<Disaggregation, CodeListName>> = {
  sex: 'sex',
  age_band: 'ageBand',
  population_group: 'populationGroup',
  nationality_group: 'nationalityGroup',
  organisation_type: 'participantOrgType',
  activity_kind: 'activityKind',
};

const QUARTER: Record<Language, (q: number, year: string) => string> = {
  fr: (q, y) => `T${q} ${y}`,
  ar: (q, y) => `${['الربع الأول', 'الربع الثاني', 'الربع الثالث', 'الربع الرابع'][q - 1]} ${y}`,
  en: (q, y) => `Q${q} ${y}`,
};
const monthFormats = (options: Intl.DateTimeFormatOptions) =>
  Object.fromEntries((Object.keys(LOCALES) as Language[]).map((l) => [l, new Intl.DateTimeFormat(LOCALES[l], { ...options, timeZone: 'UTC' })])) as Record<Language, Intl.DateTimeFormat>;
const MONTH = { long: monthFormats({ month: 'long', year: 'numeric' }), short: monthFormats({ month: 'short', year: '2-digit' }) };

/**
 * A period bucket in words, for pages and charts: `2026-03` → « mars 2026 » (short: « mars 26 »),
 * `2026-Q1` → « T1 2026 »; a year stays as it is. The labeller below keeps the codes (`2026-03`):
 * in a CSV or a spreadsheet they sort.
 */
export function periodLabel(value: string, language: Language, style: 'long' | 'short' = 'long'): string {
  const quarter = /^(\d{4})-Q([1-4])$/.exec(value);
  if (quarter) return QUARTER[language](Number(quarter[2]), quarter[1]!);
  const month = /^(\d{4})-(\d{2})$/.exec(value);
  if (month) return MONTH[style][language].format(new Date(Date.UTC(Number(month[1]), Number(month[2]) - 1, 1)));
  return value;
}

/** A labeller for codes (from the vocabulary) and for the ids of `names`; other ids stay as they are. */
export function labellerFrom(names: Map<string, { fr: string; ar: string; en?: string }> = new Map()): Labeller {
  return (dimension, value, language) => {
    if (value === null) return TOTAL[language];
    const named = names.get(value);
    if (named) return named[language] ?? named.fr;
    const list = DIMENSION_LISTS[dimension];
    if (!list) return value;
    // A person with no value recorded for a dimension counts as `unknown`, in every list.
    return value === 'unknown' && !isCode(list, value) ? label('sex', 'unknown', language) : label(list, value, language);
  };
}

/** The flat, long-format row shared by CSV and XLSX. */
export interface FlatRow {
  indicator: string;
  name: string;
  unit: string;
  sdg: string;
  from: string;
  to: string;
  dimensions: Partial<Record<Disaggregation, string>>;
  /** Number when published; the mark (`<5`, `x`) when withheld. */
  value: number | string;
  status: 'published' | 'withheld_small' | 'withheld_complementary';
  /** Why a value is withheld (a disclosure.ts reason code), empty when published. */
  reason: string;
}

/** Dimensions used by any of the tables, in catalogue order: the columns of a flat export. */
export function dimensionsOf(tables: readonly ReportTable[]): Disaggregation[] {
  const used = new Set(tables.flatMap((t) => t.by));
  return (Object.keys(DISAGGREGATION_LABELS) as Disaggregation[]).filter((d) => used.has(d));
}

export function* flatRows(tables: readonly ReportTable[], label: Labeller, language: Language): Generator<FlatRow> {
  for (const t of tables) {
    const def = indicator(t.indicator);
    for (const e of t.entries) {
      const dimensions: FlatRow['dimensions'] = {};
      t.by.forEach((d, i) => (dimensions[d] = label(d, e.coord[i] ?? null, language)));
      yield {
        indicator: def.code,
        name: def.name[language],
        unit: def.unit,
        sdg: def.sdg.join(' '),
        from: t.from,
        to: t.to,
        dimensions,
        value: e.value ?? e.display,
        status: !e.suppressed ? 'published' : e.suppressed === 'primary' ? 'withheld_small' : 'withheld_complementary',
        reason: e.reason ?? '',
      };
    }
  }
}

export const COLUMN_HEADERS: Record<Language, Record<'indicator' | 'name' | 'unit' | 'sdg' | 'from' | 'to' | 'value' | 'status' | 'reason', string>> = {
  en: { indicator: 'Indicator', name: 'Name', unit: 'Unit', sdg: 'SDG targets', from: 'From', to: 'To', value: 'Value', status: 'Status', reason: 'Reason withheld' },
  fr: { indicator: 'Indicateur', name: 'Intitulé', unit: 'Unité', sdg: 'Cibles ODD', from: 'Du', to: 'Au', value: 'Valeur', status: 'Statut', reason: 'Motif du masquage' },
  ar: { indicator: 'المؤشر', name: 'التسمية', unit: 'الوحدة', sdg: 'غايات أهداف التنمية المستدامة', from: 'من', to: 'إلى', value: 'القيمة', status: 'الحالة', reason: 'سبب الحجب' },
};

export const SUPPRESSION_NOTE: Record<Language, (threshold: number) => string> = {
  en: (t) =>
    `Counts below ${t} are shown as <${t}; a count shown as x is withheld so that a small count cannot be worked out from the totals, the other steps of the funnel or the percentages. A percentage or a median is published only when the counts behind it are. True zeros are shown as 0.`,
  fr: (t) =>
    `Les effectifs inférieurs à ${t} sont notés <${t} ; un effectif noté x est masqué pour qu’un petit effectif ne puisse pas être déduit des totaux, des autres étapes du parcours ou des pourcentages. Un pourcentage ou une médiane n’est publié que si les effectifs dont il est calculé le sont. Les vrais zéros sont affichés 0.`,
  ar: (t) =>
    `تظهر الأعداد الأقل من ${t} على شكل <${t}، ويحجب العدد المشار إليه بـ x حتى لا يمكن استنتاج عدد صغير من المجاميع أو من مراحل المسار الأخرى أو من النسب. لا تنشر النسبة أو الوسيط إلا إذا نشرت الأعداد التي يحسبان منها. تظهر الأصفار الحقيقية 0.`,
};
