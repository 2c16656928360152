import { z } from 'zod';
import { DISAGGREGATIONS, INDICATOR_CODES, type Disaggregation, type IndicatorCode } from '../indicator-catalogue.js';
import type { ReportTable } from '../report-table.js';

/** A DHIS2 UID: 11 characters, a letter then letters or digits. */
const uid = z.string().regex(/^[A-Za-z][A-Za-z0-9]{10}$/, 'expected a DHIS2 UID (11 characters, starting with a letter)');

/**
 * How our indicators land in a DHIS2 instance, kept in a JSON file (DHIS2_MAPPING_FILE):
 * - `orgUnits`: place codes (`MA-02`, `MA-OUJ`; `MA` for the country) or organisation ids → orgUnit UIDs;
 * - `dataElements`: per indicator, the data element, the dimensions its category combination
 *   disaggregates by (in order), and the category option combo of each combination of values
 *   (`female|0-17`); `default` names the combo of an undisaggregated value.
 */
export const dhis2MappingSchema = z.object({
  dataSet: uid.optional(),
  attributeOptionCombo: uid.optional(),
  orgUnits: z.record(z.string().min(1), uid),
  dataElements: z.partialRecord(
    z.enum(INDICATOR_CODES),
    z.object({
      dataElement: uid,
      disaggregation: z.array(z.enum(DISAGGREGATIONS)).max(2).default([]),
      categoryOptionCombos: z.record(z.string(), uid).default({}),
    }),
  ),
});
export type Dhis2Mapping = z.infer<typeof dhis2MappingSchema>;

/** The documented `dataValueSets` payload (Web API, "Sending bulks of data values"). */
export interface DataValue {
  dataElement: string;
  period: string;
  orgUnit: string;
  categoryOptionCombo?: string;
  attributeOptionCombo?: string;
  value: string;
  comment?: string;
}
export interface DataValueSet {
  dataSet?: string;
  completeDate?: string;
  dataValues: DataValue[];
}

export interface Dhis2Result {
  payload: DataValueSet;
  /** Cells that could not be sent, and why (withheld, no combo or org unit mapped). No values. */
  skipped: { indicator: IndicatorCode; coord: (string | null)[]; reason: 'withheld' | 'no_category_option_combo' | 'no_org_unit' }[];
}

/**
 * Which table each mapped indicator needs: its category dimensions, plus geography (org unit) and
 * period when the caller asks for them as separate values.
 */
export function dhis2Disaggregation(mapping: Dhis2Mapping, code: IndicatorCode): Disaggregation[] {
  return mapping.dataElements[code]?.disaggregation ?? [];
}

/**
 * The DHIS2 period of a date range: a month (`202603`), a quarter (`2026Q1`) or a year (`2026`).
 * Other ranges have no DHIS2 period: null.
 */
export function dhis2Period(from: string, to: string): string | null {
  const [fy, fm, fd] = from.split('-').map(Number) as [number, number, number];
  const [ty, tm, td] = to.split('-').map(Number) as [number, number, number];
  const lastDay = new Date(Date.UTC(ty, tm, 0)).getUTCDate();
  if (fy !== ty || fd !== 1 || td !== lastDay) return null;
  if (fm === tm) return `${fy}${String(fm).padStart(2, '0')}`;
  if (fm === 1 && tm === 12) return String(fy);
  if ((fm - 1) % 3 === 0 && tm === fm + 2) return `${fy}Q${(fm + 2) / 3}`;
  return null;
}

/**
 * Builds a `dataValueSets` payload from tables already protected against small numbers. Withheld
 * cells are not sent (DHIS2 would store a number; there is none to give), margins are not sent
 * (DHIS2 totals its own category combos), and every value is a string as the API expects.
 * `orgUnitKey` is the place code or organisation id the figures belong to.
 */
export function toDataValueSet(tables: readonly ReportTable[], mapping: Dhis2Mapping, orgUnitKey: string, period: string): Dhis2Result {
  const skipped: Dhis2Result['skipped'] = [];
  const dataValues: DataValue[] = [];
  const orgUnit = mapping.orgUnits[orgUnitKey];
  for (const t of tables) {
    const m = mapping.dataElements[t.indicator];
    if (!m) continue;
    const dims = m.disaggregation;
    if (dims.join('|') !== t.by.join('|')) throw new Error(`table of ${t.indicator} is not cut by its DHIS2 disaggregation`);
    for (const e of t.entries) {
      const isMargin = dims.length > 0 && e.coord.some((v) => v === null);
      if (isMargin) continue;
      const coord = [...e.coord];
      if (e.suppressed || e.value === null) {
        skipped.push({ indicator: t.indicator, coord, reason: 'withheld' });
        continue;
      }
      const combo = dims.length ? m.categoryOptionCombos[coord.join('|')] : m.categoryOptionCombos.default;
      if (dims.length && !combo) {
        skipped.push({ indicator: t.indicator, coord, reason: 'no_category_option_combo' });
        continue;
      }
      if (!orgUnit) {
        skipped.push({ indicator: t.indicator, coord, reason: 'no_org_unit' });
        continue;
      }
      const dv: DataValue = { dataElement: m.dataElement, period, orgUnit, value: String(e.value) };
      if (combo) dv.categoryOptionCombo = combo;
      if (mapping.attributeOptionCombo) dv.attributeOptionCombo = mapping.attributeOptionCombo;
      dataValues.push(dv);
    }
  }
  const payload: DataValueSet = { dataValues };
  if (mapping.dataSet) payload.dataSet = mapping.dataSet;
  return { payload, skipped };
}
