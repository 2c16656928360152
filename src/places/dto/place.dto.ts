import { ApiProperty, ApiPropertyOptional, PartialType, PickType } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, Length, Matches, MaxLength } from 'class-validator';
import { PageQuery } from '../../common/pagination.js';
import { PLACE_LEVELS, type PlaceLevel } from '../place.entity.js';

export class CreatePlaceDto {
  @ApiProperty({ example: 'MA-ORI-OUJ-C01' })
  @IsString()
  @Matches(/^[A-Z0-9-]{2,40}$/, { message: 'code must be 2–40 upper-case letters, digits or dashes' })
  code: string;

  @ApiProperty({ enum: PLACE_LEVELS })
  @IsIn(PLACE_LEVELS)
  level: PlaceLevel;

  @ApiProperty() @IsString() @Length(1, 200) nameFr: string;
  @ApiProperty() @IsString() @Length(1, 200) nameAr: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  parentId?: string;
}

export class UpdatePlaceDto extends PartialType(PickType(CreatePlaceDto, ['nameFr', 'nameAr'] as const)) {}

export class PlaceQuery extends PageQuery {
  @ApiPropertyOptional({ enum: PLACE_LEVELS }) @IsOptional() @IsIn(PLACE_LEVELS) level?: PlaceLevel;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() parentId?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) search?: string;
}
