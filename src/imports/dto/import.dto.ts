import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsObject, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';
import { LANGUAGES, type Language } from '../../authorization/actor.js';
import { ENCODINGS, type Encoding } from '../sheet-reader.js';

/** The multipart fields beside `file`. */
export class CheckImportDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'Admins: the counselling unit to import into (supervisors: always their own).' })
  @IsOptional()
  @IsUUID()
  unitId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Who holds the imported cases (default: the caller).' })
  @IsOptional()
  @IsUUID()
  counsellorId?: string;

  @ApiPropertyOptional({ description: 'JSON: column letter → field name, or "" to ignore a column; overrides the remembered and recognised mapping.' })
  @IsOptional()
  @IsString()
  @MaxLength(5000)
  mapping?: string;

  @ApiPropertyOptional({ enum: ENCODINGS, description: 'CSV only; detected when absent.' })
  @IsOptional()
  @IsIn(ENCODINGS)
  encoding?: Encoding;

  @ApiPropertyOptional({ description: 'Import rows that look like duplicates too (default: skip them).' })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' || value === true || value === 'on' ? true : value === 'false' || value === false ? false : value))
  @IsBoolean()
  importDuplicates?: boolean;
}

export class IssuesQuery {
  @ApiPropertyOptional({ description: 'First sheet row to list issues from' })
  @IsOptional()
  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(1)
  @Max(10_000_000)
  fromRow?: number;

  @ApiPropertyOptional({ enum: LANGUAGES, description: "Language of the issues' reasons (default: the caller's)" }) @IsOptional() @IsIn(LANGUAGES) lang?: Language;
}

export class TemplateQuery {
  @ApiPropertyOptional({ enum: LANGUAGES }) @IsOptional() @IsIn(LANGUAGES) lang?: Language;
}

export class RemapDto {
  @ApiProperty({ example: { A: '', B: 'givenName' }, description: 'Column letter → field name, or "" to ignore the column' })
  @IsObject()
  mapping: Record<string, string>;
}
