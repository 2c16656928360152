import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsInt, IsOptional, IsString, IsUUID, Length, Max, Min, ValidateNested } from 'class-validator';
import { IsDateOnly } from '../../common/dates.js';
import { PageQuery } from '../../common/pagination.js';
import {
  ACTIVITY_KINDS,
  MAX_PARTICIPANTS_PER_GROUP,
  PARTICIPANT_ORGANISATION_TYPES,
  PARTICIPANT_SEXES,
  type ActivityKind,
  type ParticipantOrganisationType,
  type ParticipantSex,
} from '../activity.constants.js';

export class ParticipantGroupDto {
  @ApiProperty({ enum: PARTICIPANT_ORGANISATION_TYPES })
  @IsIn(PARTICIPANT_ORGANISATION_TYPES)
  organisationType: ParticipantOrganisationType;

  @ApiProperty({ enum: PARTICIPANT_SEXES }) @IsIn(PARTICIPANT_SEXES) sex: ParticipantSex;

  @ApiProperty({ minimum: 1, maximum: MAX_PARTICIPANTS_PER_GROUP })
  @IsInt()
  @Min(1)
  @Max(MAX_PARTICIPANTS_PER_GROUP)
  count: number;
}

export class CreateActivityDto {
  @ApiProperty({ enum: ACTIVITY_KINDS }) @IsIn(ACTIVITY_KINDS) kind: ActivityKind;

  @ApiProperty({ example: 'Référencement des femmes et enfants victimes de violence' })
  @IsString()
  @Length(3, 300)
  topic: string;

  @ApiProperty({ example: '2026-03-14' }) @IsDateOnly() heldOn: string;

  @ApiProperty({ format: 'uuid', description: 'Region, province or commune where it took place' })
  @IsUUID()
  placeId: string;

  @ApiProperty({ type: [ParticipantGroupDto], description: 'Participants by organisation type and sex (one entry per pair)' })
  @IsArray()
  @ArrayMaxSize(PARTICIPANT_ORGANISATION_TYPES.length * PARTICIPANT_SEXES.length)
  @ValidateNested({ each: true })
  @Type(() => ParticipantGroupDto)
  participants: ParticipantGroupDto[];
}

export class UpdateActivityDto extends PartialType(CreateActivityDto) {}

export class ActivityQuery extends PageQuery {
  @ApiPropertyOptional({ enum: ACTIVITY_KINDS }) @IsOptional() @IsIn(ACTIVITY_KINDS) kind?: ActivityKind;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() regionId?: string;
  @ApiPropertyOptional({ example: '2026-01-01' }) @IsOptional() @IsDateOnly() from?: string;
  @ApiPropertyOptional({ example: '2026-12-31' }) @IsOptional() @IsDateOnly() to?: string;
}

export type { ActivityView } from '../activities.views.js';
