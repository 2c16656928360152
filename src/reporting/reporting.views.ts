import { z } from 'zod';
import { INTERVALS } from './dto/indicator-query.dto.js';
import { DISAGGREGATIONS, INDICATOR_CODES } from './indicator-catalogue.js';

/**
 * What the reports API answers, as schemas (common/api-views.ts): the services return these types.
 * A value below the threshold is never in an answer: its cell says `suppressed` and why.
 */
/** disclosure.ts's Reason: a reason added there and not here fails the compiler where cells are built. */
const REASONS = ['small_count', 'protects_small_count', 'small_difference', 'small_unmarked', 'earlier_step_withheld', 'count_withheld', 'few_records', 'no_records'] as const;
const day = z.string().describe('YYYY-MM-DD');

export const CellView = z.object({
  coord: z.partialRecord(z.enum(DISAGGREGATIONS), z.string().nullable()),
  value: z.number().nullable(),
  display: z.string(),
  suppressed: z.union([z.enum(['primary', 'complementary']), z.literal(false)]),
  /** Why the value is not published (null when it is). */
  reason: z.enum(REASONS).nullable(),
});
export type CellView = z.infer<typeof CellView>;

export const IndicatorView = z.object({
  code: z.enum(INDICATOR_CODES),
  name: z.string(),
  definition: z.string(),
  unit: z.enum(['persons', 'referrals', 'deliveries', 'percent', 'hours', 'days', 'participants']),
  aggregation: z.enum(['count', 'distinct_count', 'ratio', 'median']),
  sdg: z.array(z.string()),
  by: z.array(z.enum(DISAGGREGATIONS)),
  total: CellView.omit({ coord: true }),
  cells: z.array(CellView),
  /** Number of activities, for indicators about activities. */
  activities: z.number().int().optional(),
});
export type IndicatorView = z.infer<typeof IndicatorView>;

export const IndicatorsView = z.object({
  from: day,
  to: day,
  interval: z.enum(INTERVALS),
  by: z.array(z.enum(DISAGGREGATIONS)),
  filters: z.object({ region: z.string().nullable(), province: z.string().nullable(), unit: z.string().nullable() }),
  threshold: z.number().int(),
  indicators: z.array(IndicatorView),
  /** Names of the places and units that appear in the cells, in the requested language. */
  labels: z.record(z.string(), z.string()),
});
export type IndicatorsView = z.infer<typeof IndicatorsView>;

/** The indicators as answered: with how old their figures may be (read on a replica). */
export const IndicatorsAnswerView = IndicatorsView.extend({ dataLagSeconds: z.number() });

export const FactsheetFigureView = z.object({ value: z.number().nullable(), display: z.string() });
export type FactsheetFigureView = z.infer<typeof FactsheetFigureView>;

export const FactsheetItemView = z.object({
  key: z.string(),
  indicator: z.enum(INDICATOR_CODES).optional(),
  sdg: z.array(z.string()),
  /** The line as the factsheet would print it, in the requested language. */
  text: z.string(),
  figure: FactsheetFigureView,
  /** Number of activities (trainings, workshops, …) where the line is about activities. */
  activities: z.number().int().optional(),
  breakdown: z.record(z.string(), FactsheetFigureView).optional(),
});
export type FactsheetItemView = z.infer<typeof FactsheetItemView>;

export const FactsheetView = z.object({
  region: z.object({ id: z.uuid(), name: z.string() }),
  from: day,
  to: day,
  threshold: z.number().int(),
  title: z.string(),
  items: z.array(FactsheetItemView),
  sdg: z.array(z.string()),
});
export type FactsheetView = z.infer<typeof FactsheetView>;

/** DHIS2 `dataValueSets` (Web API, "Sending bulks of data values"). */
export const DataValueSetView = z.object({
  dataSet: z.string().optional(),
  completeDate: z.string().optional(),
  dataValues: z.array(
    z.object({
      dataElement: z.string(),
      period: z.string(),
      orgUnit: z.string(),
      categoryOptionCombo: z.string().optional(),
      attributeOptionCombo: z.string().optional(),
      value: z.string(),
      comment: z.string().optional(),
    }),
  ),
});
export type DataValueSetView = z.infer<typeof DataValueSetView>;
