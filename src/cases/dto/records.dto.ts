import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsBoolean, IsIn, IsInt, IsOptional, IsString, IsUUID, Length, Max, Min } from 'class-validator';
import { CATEGORIES, type Category } from '../../common/categories.js';
import { IsCalendarDate, IsPastDateTime } from '../../common/validators.js';
import {
  CONSENT_GIVERS,
  CONSENT_METHODS,
  DELIVERY_OUTCOMES,
  INCIDENT_PLACE_TYPES,
  INCIDENT_TYPES,
  NEED_STATUSES,
  NOTE_MAX_LENGTH,
  SESSION_KINDS,
  SHAREABLE_FIELDS,
  TASK_STATUSES,
  TASK_TEXT_MAX_LENGTH,
  TIME_ELAPSED,
  type ConsentGiver,
  type ConsentMethod,
  type DeliveryOutcome,
  type IncidentPlaceType,
  type IncidentType,
  type NeedStatus,
  type SessionKind,
  type ShareableField,
  type TaskStatus,
  type TimeElapsed,
} from '../cases.constants.js';

const PAST = { notFuture: true, notBefore: '1950-01-01' };

export class CreateNeedDto {
  @ApiProperty({ enum: CATEGORIES }) @IsIn(CATEGORIES) category: Category;
}

export class UpdateNeedDto {
  @ApiProperty({ enum: NEED_STATUSES }) @IsIn(NEED_STATUSES) status: NeedStatus;
}

export class CreateSessionDto {
  @ApiProperty({ example: '2026-03-02' }) @IsCalendarDate(PAST) sessionDate: string;
  @ApiProperty({ enum: SESSION_KINDS }) @IsIn(SESSION_KINDS) kind: SessionKind;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(1) @Max(600) durationMinutes?: number;
  @ApiProperty({ maxLength: NOTE_MAX_LENGTH, description: 'Encrypted at rest.' }) @IsString() @Length(1, NOTE_MAX_LENGTH) note: string;
  @ApiPropertyOptional({ description: 'Also record a psychosocial (mhpss) delivery by the unit on that date (psychosocial sessions only).' })
  @IsOptional()
  @IsBoolean()
  recordDelivery?: boolean;
}

export class CreateTaskDto {
  @ApiProperty({ example: '2026-03-09' }) @IsCalendarDate({ notBefore: '2000-01-01' }) dueDate: string;
  @ApiProperty({ maxLength: TASK_TEXT_MAX_LENGTH, description: 'Encrypted at rest.' }) @IsString() @Length(1, TASK_TEXT_MAX_LENGTH) description: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'Defaults to the case’s counsellor.' }) @IsOptional() @IsUUID() assignedToId?: string;
}

export class UpdateTaskDto {
  @ApiPropertyOptional({ enum: TASK_STATUSES }) @IsOptional() @IsIn(TASK_STATUSES) status?: TaskStatus;
  @ApiPropertyOptional() @IsOptional() @IsCalendarDate({ notBefore: '2000-01-01' }) dueDate?: string;
}

export class TasksDueQuery {
  @ApiPropertyOptional({ minimum: 0, maximum: 30, default: 7, description: 'Also the tasks due in the next this-many days (overdue and today always).' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(30)
  days?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 50 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(100) limit?: number;
}

export class CreateIncidentDto {
  @ApiProperty({ enum: INCIDENT_TYPES }) @IsIn(INCIDENT_TYPES) type: IncidentType;
  @ApiPropertyOptional({ example: '2026-02-27' }) @IsOptional() @IsCalendarDate(PAST) incidentDate?: string;
  @ApiProperty({ enum: INCIDENT_PLACE_TYPES }) @IsIn(INCIDENT_PLACE_TYPES) placeType: IncidentPlaceType;
  @ApiPropertyOptional({ enum: TIME_ELAPSED, description: 'Required without an incident date; derived from it otherwise.' })
  @IsOptional()
  @IsIn(TIME_ELAPSED)
  timeElapsed?: TimeElapsed;
  @ApiPropertyOptional({ maxLength: NOTE_MAX_LENGTH, description: 'Encrypted at rest.' }) @IsOptional() @IsString() @Length(1, NOTE_MAX_LENGTH) description?: string;
}

export class CreateConsentDto {
  @ApiProperty({ enum: CONSENT_GIVERS }) @IsIn(CONSENT_GIVERS) givenBy: ConsentGiver;
  @ApiPropertyOptional({ description: 'Defaults to now.' }) @IsOptional() @IsPastDateTime() givenAt?: string;
  @ApiProperty({ enum: CONSENT_METHODS }) @IsIn(CONSENT_METHODS) method: ConsentMethod;
  @ApiPropertyOptional({ enum: CATEGORIES, isArray: true, description: 'Categories covered; with organisationIds, at least one must be given.' })
  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @IsIn(CATEGORIES, { each: true })
  categories?: Category[];
  @ApiPropertyOptional({ type: [String], format: 'uuid' })
  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @ArrayMaxSize(50)
  @IsUUID(undefined, { each: true })
  organisationIds?: string[];
  @ApiProperty({ enum: SHAREABLE_FIELDS, isArray: true })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayUnique()
  @IsIn(SHAREABLE_FIELDS, { each: true })
  fields: ShareableField[];
}

export class CreateDeliveryDto {
  @ApiProperty({ enum: CATEGORIES }) @IsIn(CATEGORIES) category: Category;
  @ApiProperty({ example: '2026-03-02' }) @IsCalendarDate(PAST) deliveredOn: string;
  @ApiProperty({ enum: DELIVERY_OUTCOMES }) @IsIn(DELIVERY_OUTCOMES) outcome: DeliveryOutcome;
  @ApiPropertyOptional({ format: 'uuid', description: 'Defaults to the unit itself.' }) @IsOptional() @IsUUID() providerOrganisationId?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() serviceId?: string;
}
