import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayUnique, IsArray, IsBoolean, IsIn, IsISO8601, IsOptional, IsString, IsUUID, Length, MaxLength } from 'class-validator';
import { PageQuery } from '../../common/pagination.js';
import { OUTCOME_CODES, PRIORITIES, REASON_CODES, REFERRAL_STATUSES, type OutcomeCode, type Priority, type ReasonCode, type ReferralStatus } from '../referral-state.js';
import { SHAREABLE_FIELDS, type ShareableField } from '../shared-fields.js';
import { LANGUAGES, type Language } from '../../vocabulary/index.js';

export class CreateReferralDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID() caseId: string;
  @ApiProperty({ format: 'uuid', description: 'An open need of the case.' }) @IsUUID() needId: string;
  @ApiProperty({ format: 'uuid', description: 'The service at a location (HSDS service_at_location).' }) @IsUUID() serviceAtLocationId: string;
  @ApiProperty({ enum: PRIORITIES }) @IsIn(PRIORITIES) priority: Priority;

  @ApiProperty({ enum: SHAREABLE_FIELDS, isArray: true, description: 'What travels to the provider (minimum necessary); consent must cover each.' })
  @IsArray()
  @ArrayUnique()
  @IsIn(SHAREABLE_FIELDS, { each: true })
  sharedFields: ShareableField[];

  @ApiPropertyOptional({ description: 'A note for the provider (encrypted at rest).' }) @IsOptional() @IsString() @Length(1, 2000) noteForProvider?: string;

  @ApiPropertyOptional({ description: 'Send at once (the consent gate applies); default: keep as draft.' }) @IsOptional() @IsBoolean() send?: boolean;
}

/** Re-referral after a decline: what differs from the first referral (by default the provider's proposal). */
export class ReReferDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'Default: the service the provider proposed.' }) @IsOptional() @IsUUID() serviceAtLocationId?: string;
  @ApiPropertyOptional({ enum: PRIORITIES }) @IsOptional() @IsIn(PRIORITIES) priority?: Priority;
  @ApiPropertyOptional({ enum: SHAREABLE_FIELDS, isArray: true })
  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @IsIn(SHAREABLE_FIELDS, { each: true })
  sharedFields?: ShareableField[];
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 2000) noteForProvider?: string;
  @ApiPropertyOptional({ description: 'Default true: the new referral is sent at once.' }) @IsOptional() @IsBoolean() send?: boolean;
}

export class TransitionDto {
  @ApiPropertyOptional({ enum: REASON_CODES, description: 'decline / not-complete: required; cancel: optional.' })
  @IsOptional()
  @IsIn(REASON_CODES)
  reasonCode?: ReasonCode;

  @ApiPropertyOptional({ description: 'With reason "other" (encrypted at rest).' }) @IsOptional() @IsString() @Length(1, 500) reasonText?: string;

  @ApiPropertyOptional({ enum: OUTCOME_CODES, description: 'complete: required.' }) @IsOptional() @IsIn(OUTCOME_CODES) outcomeCode?: OutcomeCode;

  @ApiPropertyOptional({ description: 'accept: an appointment (ISO 8601). With an offset it is that instant; without one (`2026-03-02T10:00`) it is a wall time in Morocco (Africa/Casablanca, whose offset changes around Ramadan). Shown back in Morocco’s time.' }) @IsOptional() @IsISO8601({ strict: true }) appointmentAt?: string;

  @ApiPropertyOptional({ description: 'complete: the day the service was delivered (default today).' }) @IsOptional() @IsISO8601({ strict: true }) @MaxLength(10) deliveredOn?: string;

  @ApiPropertyOptional({ description: 'accept: start the service at once (accepted → in progress in one step).' }) @IsOptional() @IsBoolean() startNow?: boolean;

  @ApiPropertyOptional({ description: 'decline / complete / not-complete: a short note back to the referring unit (encrypted at rest; never in an e-mail).' })
  @IsOptional()
  @IsString()
  @Length(1, 1000)
  noteForReferrer?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'decline: another service (at a location) the provider proposes.' })
  @IsOptional()
  @IsUUID()
  proposedServiceAtLocationId?: string;
}

const csv = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.split(',').filter(Boolean) : value);
const bool = ({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value);

export class ReferralQuery extends PageQuery {
  @ApiPropertyOptional({ enum: REFERRAL_STATUSES, isArray: true, description: 'Comma-separated.' })
  @IsOptional()
  @Transform(csv)
  @IsArray()
  @IsIn(REFERRAL_STATUSES, { each: true })
  status?: ReferralStatus[];

  @ApiPropertyOptional() @IsOptional() @Transform(bool) @IsBoolean() overdue?: boolean;
  @ApiPropertyOptional({ enum: PRIORITIES }) @IsOptional() @IsIn(PRIORITIES) priority?: Priority;
  @ApiPropertyOptional({ format: 'uuid', description: 'Units only.' }) @IsOptional() @IsUUID() caseId?: string;
}

/** The language the FHIR Bundle states and speaks (displays, texts); not the reader's. */
export class FhirBundleQuery {
  @ApiPropertyOptional({ enum: LANGUAGES, default: 'fr', description: 'Bundle.language; every display and text follows it.' })
  @IsOptional()
  @IsIn(LANGUAGES)
  lang?: Language;
}
