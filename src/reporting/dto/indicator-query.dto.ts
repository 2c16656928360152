import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, ArrayUnique, IsArray, IsIn, IsOptional, IsUUID } from 'class-validator';
import { LANGUAGES, type Language } from '../../authorization/actor.js';
import { IsDateOnly } from '../../common/dates.js';
import { DISAGGREGATIONS, INDICATOR_CODES, type Disaggregation, type IndicatorCode } from '../indicator-catalogue.js';

/** `a,b,c` (or repeated parameters) → ['a', 'b', 'c']. */
const list = ({ value }: { value: unknown }) =>
  (Array.isArray(value) ? value : [value]).flatMap((v) => String(v).split(',')).map((v) => v.trim()).filter(Boolean);

export const INTERVALS = ['month', 'quarter', 'year'] as const;
export type Interval = (typeof INTERVALS)[number];

export class IndicatorQuery {
  @ApiProperty({ example: '2026-01-01', description: 'First day of the period (inclusive)' }) @IsDateOnly() from: string;
  @ApiProperty({ example: '2026-12-31', description: 'Last day of the period (inclusive)' }) @IsDateOnly() to: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Only this region (place id)' }) @IsOptional() @IsUUID() region?: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'Only this province (place id)' }) @IsOptional() @IsUUID() province?: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'Only this counselling unit (organisation id)' }) @IsOptional() @IsUUID() unit?: string;

  @ApiPropertyOptional({ enum: DISAGGREGATIONS, isArray: true, description: 'Up to two dimensions, comma-separated: `by=sex,age_band`' })
  @IsOptional()
  @Transform(list)
  @IsArray()
  @ArrayMaxSize(2, { message: 'by: at most two dimensions (small-number protection is proven for tables of one or two)' })
  @ArrayUnique({ message: 'by: a dimension is given twice' })
  @IsIn(DISAGGREGATIONS, { each: true, message: `by: each dimension must be one of ${DISAGGREGATIONS.join(', ')}` })
  by?: Disaggregation[];

  @ApiPropertyOptional({ enum: INDICATOR_CODES, isArray: true, description: 'Indicator codes, comma-separated (default: all available to you)' })
  @IsOptional()
  @Transform(list)
  @IsArray()
  @ArrayUnique()
  @IsIn(INDICATOR_CODES, { each: true, message: `indicators: each must be one of ${INDICATOR_CODES.join(', ')}` })
  indicators?: IndicatorCode[];

  @ApiPropertyOptional({ enum: INTERVALS, default: 'month', description: 'Bucket of the `period` dimension' })
  @IsOptional()
  @IsIn(INTERVALS)
  interval?: Interval;

  @ApiPropertyOptional({ enum: LANGUAGES, description: 'Language of names (default: yours)' }) @IsOptional() @IsIn(LANGUAGES) lang?: Language;
}

export class RegionalReportQuery {
  @ApiProperty({ format: 'uuid', description: 'The region (place id)' }) @IsUUID() region: string;
  @ApiProperty({ example: '2026-01-01' }) @IsDateOnly() from: string;
  @ApiProperty({ example: '2026-12-31' }) @IsDateOnly() to: string;
  @ApiPropertyOptional({ enum: LANGUAGES }) @IsOptional() @IsIn(LANGUAGES) lang?: Language;
}

export const EXPORT_FORMATS = ['csv', 'xlsx'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
