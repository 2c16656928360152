import { ApiProperty, ApiPropertyOptional, PartialType, OmitType } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, Length, Matches, MaxLength } from 'class-validator';
import { PageQuery } from '../../common/pagination.js';
import { ORGANISATION_TYPES, type OrganisationType } from '../../authorization/actor.js';

export class CreateOrganisationDto {
  @ApiProperty() @IsString() @Length(2, 300) name: string;

  @ApiPropertyOptional({ description: 'The name in Arabic (read in Arabic; `name` otherwise)', maxLength: 300 })
  @IsOptional()
  @IsString()
  @Length(2, 300)
  nameAr?: string;

  @ApiProperty({ enum: ORGANISATION_TYPES }) @IsIn(ORGANISATION_TYPES) type: OrganisationType;

  @ApiPropertyOptional({ description: 'Short code for case codes (counselling units)', example: 'OUJ' })
  @IsOptional()
  @Matches(/^[A-Z]{2,6}$/, { message: 'code must be 2–6 upper-case letters' })
  code?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Province or region the organisation sits in' })
  @IsOptional()
  @IsUUID()
  placeId?: string;
}

export class UpdateOrganisationDto extends PartialType(OmitType(CreateOrganisationDto, ['type', 'nameAr'] as const)) {
  /** null removes it (the name is then read in French everywhere). */
  @ApiPropertyOptional({ description: 'The name in Arabic (read in Arabic; `name` otherwise); null removes it', maxLength: 300, nullable: true, type: String })
  @IsOptional()
  @IsString()
  @Length(2, 300)
  nameAr?: string | null;

  @ApiPropertyOptional({ enum: ['active', 'inactive'] }) @IsOptional() @IsIn(['active', 'inactive']) status?: 'active' | 'inactive';
}

export class OrganisationQuery extends PageQuery {
  @ApiPropertyOptional({ enum: ORGANISATION_TYPES }) @IsOptional() @IsIn(ORGANISATION_TYPES) type?: OrganisationType;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() regionId?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) search?: string;
}
