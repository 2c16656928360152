import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsUUID } from 'class-validator';
import { IsDateOnly } from '../../common/dates.js';
import { EXPORT_FORMATS, IndicatorQuery, type ExportFormat } from './indicator-query.dto.js';

export class Dhis2Query {
  @ApiProperty({ example: '2026-01-01', description: 'First day of a DHIS2 period (month, quarter or year)' }) @IsDateOnly() from: string;
  @ApiProperty({ example: '2026-03-31', description: 'Last day of that period' }) @IsDateOnly() to: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'Region (place id); default: the whole country' }) @IsOptional() @IsUUID() region?: string;
}

export class ExportQuery extends IndicatorQuery {
  @ApiProperty({ enum: EXPORT_FORMATS }) @IsIn(EXPORT_FORMATS) format: ExportFormat;
}
