import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsISO8601, IsNumber, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';
import { LANGUAGES, type Language } from '../../authorization/actor.js';
import { PageQuery } from '../../common/pagination.js';
import { CATEGORY_CODES, POPULATION_CODES, SPOKEN_LANGUAGE_CODES } from '../taxonomy.data.js';

const bool = () => Transform(({ value }) => (value === 'true' || value === '1' ? true : value === 'false' || value === '0' ? false : value));
const num = () => Type(() => Number);

class LangQueryBase {
  @ApiPropertyOptional({ enum: LANGUAGES }) @IsOptional() @IsIn(LANGUAGES) lang?: Language;
}

/** Filters shared by the HSDS list and the management list. */
export class ServiceFilterQuery {
  @ApiPropertyOptional({ description: 'Full text (fr/ar/en), tolerant of accents, Arabic diacritics and typos' })
  @IsOptional() @IsString() @MaxLength(200) search?: string;

  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() taxonomy_term_id?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() taxonomy_id?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() organization_id?: string;
  @ApiPropertyOptional({ format: 'date-time' }) @IsOptional() @IsISO8601() modified_after?: string;
  @ApiPropertyOptional({ description: 'Province code (MA-OUJ) or id' }) @IsOptional() @IsString() @MaxLength(40) province?: string;
  @ApiPropertyOptional({ enum: SPOKEN_LANGUAGE_CODES }) @IsOptional() @IsIn(SPOKEN_LANGUAGE_CODES) language?: string;
  @ApiPropertyOptional({ enum: POPULATION_CODES }) @IsOptional() @IsIn(POPULATION_CODES) population?: string;
  @ApiPropertyOptional({ enum: CATEGORY_CODES, description: 'Category code (alternative to taxonomy_term_id)' })
  @IsOptional() @IsIn(CATEGORY_CODES) category?: string;
  @ApiPropertyOptional({ minimum: -90, maximum: 90 }) @IsOptional() @num() @IsNumber({ allowNaN: false }) @Min(-90) @Max(90) lat?: number;
  @ApiPropertyOptional({ minimum: -180, maximum: 180 }) @IsOptional() @num() @IsNumber({ allowNaN: false }) @Min(-180) @Max(180) lon?: number;
  @ApiPropertyOptional({ minimum: 0.1, maximum: 500 }) @IsOptional() @num() @IsNumber({ allowNaN: false }) @Min(0.1) @Max(500) radius_km?: number;
  @ApiPropertyOptional() @IsOptional() @bool() @IsBoolean() open_now?: boolean;
  @ApiPropertyOptional({ format: 'date-time', description: 'Open at this instant (schedules are in Africa/Casablanca)' })
  @IsOptional() @IsISO8601({ strict: true }) open_at?: string;
  @ApiPropertyOptional() @IsOptional() @bool() @IsBoolean() free?: boolean;
  @ApiPropertyOptional() @IsOptional() @bool() @IsBoolean() no_documents?: boolean;
  @ApiPropertyOptional() @IsOptional() @bool() @IsBoolean() accepting?: boolean;
  @ApiPropertyOptional({ enum: LANGUAGES, description: 'Language of the texts returned (fallback fr → ar → en)' })
  @IsOptional() @IsIn(LANGUAGES) lang?: Language;
}

/** HSDS 3.1 `format`: a JSON page (default) or every result as NDJSON, streamed without paging. */
export const HSDS_FORMATS = ['json', 'ndjson'] as const;
export type HsdsFormat = (typeof HSDS_FORMATS)[number];

export class HsdsServiceQuery extends ServiceFilterQuery {
  @ApiPropertyOptional({ minimum: 1, default: 1 }) @IsOptional() @num() @IsInt() @Min(1) @Max(10_000) page?: number;
  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 }) @IsOptional() @num() @IsInt() @Min(1) @Max(200) per_page?: number;
  @ApiPropertyOptional({ enum: HSDS_FORMATS, default: 'json' }) @IsOptional() @IsIn(HSDS_FORMATS) format?: HsdsFormat;
  @ApiPropertyOptional({ description: 'Only what service_list requires (id, name, status) and last_modified' }) @IsOptional() @bool() @IsBoolean() minimal?: boolean;
  @ApiPropertyOptional({ description: 'Fully nested services' }) @IsOptional() @bool() @IsBoolean() full?: boolean;
}

export class HsdsPageQuery {
  @ApiPropertyOptional({ minimum: 1, default: 1 }) @IsOptional() @num() @IsInt() @Min(1) @Max(10_000) page?: number;
  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 }) @IsOptional() @num() @IsInt() @Min(1) @Max(200) per_page?: number;
  @ApiPropertyOptional({ enum: HSDS_FORMATS, default: 'json' }) @IsOptional() @IsIn(HSDS_FORMATS) format?: HsdsFormat;
  @ApiPropertyOptional({ description: 'Full text (names and descriptions, accents and case ignored)' }) @IsOptional() @IsString() @MaxLength(200) search?: string;
  @ApiPropertyOptional({ enum: LANGUAGES }) @IsOptional() @IsIn(LANGUAGES) lang?: Language;
}

export class HsdsOrganizationQuery extends HsdsPageQuery {
  @ApiPropertyOptional({ description: 'Each organization with its services, fully nested' }) @IsOptional() @bool() @IsBoolean() full_service?: boolean;
  @ApiPropertyOptional({ description: 'Each organization with its services (one-to-one fields)' }) @IsOptional() @bool() @IsBoolean() full?: boolean;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() taxonomy_term_id?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() taxonomy_id?: string;
}

export class HsdsOrganizationGetQuery extends LangQueryBase {
  @ApiPropertyOptional({ description: 'Its services fully nested' }) @IsOptional() @bool() @IsBoolean() full_service?: boolean;
}

export class HsdsTermQuery extends HsdsPageQuery {
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() taxonomy_id?: string;
  @ApiPropertyOptional({ description: 'Only terms without a parent (every term of ours is one)' }) @IsOptional() @bool() @IsBoolean() top_only?: boolean;
  @ApiPropertyOptional({ format: 'uuid', description: 'Only the children of this term' }) @IsOptional() @IsUUID() parent_id?: string;
}

export class HsdsSalQuery extends HsdsPageQuery {
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() service_id?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() organization_id?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() taxonomy_term_id?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() taxonomy_id?: string;
  @ApiPropertyOptional({ format: 'date-time' }) @IsOptional() @IsISO8601() modified_after?: string;
  @ApiPropertyOptional({ description: 'The service fully nested' }) @IsOptional() @bool() @IsBoolean() full?: boolean;
  @ApiPropertyOptional({ description: 'Locations with this postal code (or, with proximity, near the centroid of those that have it)' })
  @IsOptional() @IsString() @MaxLength(20) postcode?: string;
  @ApiPropertyOptional({ description: 'Meters from the centroid of `postcode`' }) @IsOptional() @num() @IsNumber({ allowNaN: false }) @Min(1) @Max(500_000) proximity?: number;
}

export class LangQuery extends LangQueryBase {}

export class ManagedServiceQuery extends PageQuery {
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() organisationId?: string;
}

export class SuggestionQuery {
  @ApiPropertyOptional({ enum: CATEGORY_CODES, description: 'The need (a category code)' })
  @IsIn(CATEGORY_CODES, { message: 'need must be a known category code' })
  need: string;
  @ApiPropertyOptional({ description: 'Province code (MA-OUJ) or id of the person' }) @IsOptional() @IsString() @MaxLength(40) province?: string;
  @ApiPropertyOptional({ enum: SPOKEN_LANGUAGE_CODES }) @IsOptional() @IsIn(SPOKEN_LANGUAGE_CODES) language?: string;
  @ApiPropertyOptional({ enum: POPULATION_CODES }) @IsOptional() @IsIn(POPULATION_CODES) population?: string;
  @ApiPropertyOptional() @IsOptional() @num() @IsNumber({ allowNaN: false }) @Min(-90) @Max(90) lat?: number;
  @ApiPropertyOptional() @IsOptional() @num() @IsNumber({ allowNaN: false }) @Min(-180) @Max(180) lon?: number;
  @ApiPropertyOptional({ minimum: 1, maximum: 50, default: 10 }) @IsOptional() @num() @IsInt() @Min(1) @Max(50) limit?: number;
  @ApiPropertyOptional({ enum: LANGUAGES }) @IsOptional() @IsIn(LANGUAGES) lang?: Language;
}

export class TabularImportQuery {
  @ApiPropertyOptional({ description: 'true: check and report what the import would do, write nothing' }) @IsOptional() @bool() @IsBoolean() dryRun?: boolean;
}
