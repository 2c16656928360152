import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsDefined,
  IsIn,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { PageQuery } from '../../common/pagination.js';
import { CATEGORIES, type Category } from '../../common/categories.js';
import { IsCalendarDate } from '../../common/validators.js';
import {
  AGE_BANDS,
  CASE_STATUSES,
  CLOSURE_REASONS,
  DOCUMENT_TYPES,
  PERSON_LANGUAGES,
  POPULATION_GROUPS,
  REOPEN_REASONS,
  RISK_LEVELS,
  SEXES,
  type AgeBand,
  type CaseStatus,
  type ClosureReason,
  type DocumentType,
  type PersonLanguage,
  type PopulationGroup,
  type ReopenReason,
  type RiskLevel,
  type Sex,
} from '../cases.constants.js';

const BIRTH = { notFuture: true, notBefore: '1900-01-01' };

/**
 * Person fields both creation and correction accept: attributes for disaggregation, and identifying
 * fields (stored encrypted, never logged, never in a URL).
 */
class PersonFields {
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 100) familyName?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Matches(/^[+0-9][0-9 ()./-]{5,24}$/, { message: 'phone must be a phone number' }) phone?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 300) address?: string;
  @ApiPropertyOptional({ enum: DOCUMENT_TYPES }) @IsOptional() @IsIn(DOCUMENT_TYPES) documentType?: DocumentType;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(2, 40) documentNumber?: string;
  @ApiPropertyOptional({ example: '1995-04-12' }) @IsOptional() @IsCalendarDate(BIRTH) birthDate?: string;
  @ApiPropertyOptional({ enum: AGE_BANDS }) @IsOptional() @IsIn(AGE_BANDS) ageBand?: AgeBand;
  @ApiPropertyOptional({ example: 'CM', description: 'ISO 3166-1 alpha-2' })
  @IsOptional()
  @Matches(/^[A-Z]{2}$/, { message: 'nationality must be an ISO 3166-1 alpha-2 code' })
  nationality?: string;
  @ApiPropertyOptional({ enum: POPULATION_GROUPS }) @IsOptional() @IsIn(POPULATION_GROUPS) populationGroup?: PopulationGroup;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() provinceId?: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'Commune of residence (a commune of the province, which it implies)' }) @IsOptional() @IsUUID() communeId?: string;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() disability?: boolean;
  @ApiPropertyOptional({ enum: PERSON_LANGUAGES, isArray: true })
  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @ArrayMaxSize(PERSON_LANGUAGES.length)
  @IsIn(PERSON_LANGUAGES, { each: true })
  languages?: PersonLanguage[];
}

export class CreatePersonDto extends PersonFields {
  @ApiProperty() @IsString() @Length(1, 100) givenName: string;
  @ApiProperty({ enum: SEXES }) @IsIn(SEXES) sex: Sex;
}

/** A correction: only the fields sent change; `null` is not accepted (send a value). */
export class UpdatePersonDto extends PersonFields {
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 100) givenName?: string;
  @ApiPropertyOptional({ enum: SEXES }) @IsOptional() @IsIn(SEXES) sex?: Sex;
}

export class CreateCaseDto {
  @ApiProperty({ type: CreatePersonDto }) @IsDefined({ message: 'person is required' }) @IsObject() @ValidateNested() @Type(() => CreatePersonDto) person: CreatePersonDto;
  @ApiPropertyOptional({ enum: RISK_LEVELS }) @IsOptional() @IsIn(RISK_LEVELS) riskLevel?: RiskLevel;
  @ApiPropertyOptional({ format: 'uuid', description: 'Defaults to the caller; another counsellor needs the assign right.' })
  @IsOptional()
  @IsUUID()
  assignedCounsellorId?: string;
  @ApiPropertyOptional({ enum: CATEGORIES, isArray: true })
  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @IsIn(CATEGORIES, { each: true })
  needs?: Category[];
}

/** Look for possible duplicates before creating (body, not query string: these are identifying). */
export class DuplicateCheckDto extends UpdatePersonDto {}

/** Find a case by who the person is (body, never a URL: these are identifying). At least one field. */
export class CaseSearchDto {
  @ApiPropertyOptional({ description: 'Any words of the name, in any order (accents and case ignored); each must match a word of the name.' })
  @IsOptional()
  @IsString()
  @Length(2, 200)
  name?: string;

  @ApiPropertyOptional() @IsOptional() @IsString() @Matches(/^[+0-9][0-9 ()./-]{5,24}$/, { message: 'phone must be a phone number' }) phone?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(2, 40) documentNumber?: string;
}

export class UpdateCaseDto {
  @ApiPropertyOptional({ enum: RISK_LEVELS }) @IsOptional() @IsIn(RISK_LEVELS) riskLevel?: RiskLevel;
}

export class CaseStatusDto {
  @ApiProperty({ enum: CASE_STATUSES }) @IsIn(CASE_STATUSES) status: CaseStatus;
  @ApiPropertyOptional({ enum: CLOSURE_REASONS, description: 'Required to close.' }) @IsOptional() @IsIn(CLOSURE_REASONS) closureReason?: ClosureReason;
  @ApiPropertyOptional({ enum: REOPEN_REASONS, description: 'Required to reopen.' }) @IsOptional() @IsIn(REOPEN_REASONS) reopenReason?: ReopenReason;
}

export class AssignCaseDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID() counsellorId: string;
}

export class CaseQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'Case code or its beginning' }) @IsOptional() @IsString() @MaxLength(24) @Matches(/^[A-Za-z0-9-]+$/) code?: string;
  @ApiPropertyOptional({ enum: CASE_STATUSES }) @IsOptional() @IsIn(CASE_STATUSES) status?: CaseStatus;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() counsellorId?: string;
  @ApiPropertyOptional({ enum: CATEGORIES }) @IsOptional() @IsIn(CATEGORIES) need?: Category;
  @ApiPropertyOptional({ enum: RISK_LEVELS }) @IsOptional() @IsIn(RISK_LEVELS) riskLevel?: RiskLevel;
  @ApiPropertyOptional({ example: '2026-01-01' }) @IsOptional() @IsCalendarDate() openedFrom?: string;
  @ApiPropertyOptional({ example: '2026-12-31' }) @IsOptional() @IsCalendarDate() openedTo?: string;
}
