import { ApiProperty, ApiPropertyOptional, OmitType, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsEmail,
  IsIn,
  IsInt,
  IsISO8601,
  IsNumber,
  IsOptional,
  IsString,
  IsUrl,
  IsUUID,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  registerDecorator,
  ValidateNested,
  type ValidationArguments,
} from 'class-validator';
import { SERVICE_TIERS, type ServiceTier } from '../../authorization/ability.factory.js';
import { LANGUAGES, type Language } from '../../authorization/actor.js';
import {
  CAPACITY_STATUSES,
  CATEGORY_CODES,
  POPULATION_CODES,
  SERVICE_STATUSES,
  SPOKEN_LANGUAGE_CODES,
  WEEKDAYS,
  type CapacityStatus,
  type ServiceStatus,
  type Weekday,
} from '../taxonomy.data.js';

const TIME = /^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$/;
const PLACE_CODE = /^MA(-[A-Z0-9]{2,4}){1,2}$/;

/** `closesAt` must come after `opensAt` (both HH:MM[:SS], zero-padded, so strings compare as times). */
function IsAfterField(other: string) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isAfterField',
      target: target.constructor,
      propertyName,
      constraints: [other],
      options: { message: `${propertyName} must be after ${other}` },
      validator: {
        validate(value: unknown, args: ValidationArguments) {
          const start = (args.object as Record<string, unknown>)[other];
          if (typeof value !== 'string' || typeof start !== 'string') return true;
          return value.padEnd(8, ':00') > start.padEnd(8, ':00');
        },
      },
    });
}

const text = (max = 300) => [IsOptional(), IsString(), MaxLength(max)];
const apply = (...ds: PropertyDecorator[]) => (t: object, k: string | symbol) => ds.forEach((d) => d(t, k));
const OptText = (max = 300) => apply(ApiPropertyOptional({ maxLength: max }), ...text(max));
const OptId = () => apply(ApiPropertyOptional({ format: 'uuid' }), IsOptional(), IsUUID());

export class LocationInputDto {
  @OptId() id?: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'The id of its HSDS address (imports keep it)' }) @IsOptional() @IsUUID() addressId?: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'The id of the HSDS service_at_location linking it to the service (imports keep it)' }) @IsOptional() @IsUUID() serviceAtLocationId?: string;
  @OptText() name?: string;
  /** In Arabic (read in Arabic, the French field otherwise): nameAr, address1Ar, cityAr. */
  @OptText() nameAr?: string;
  @OptText(2000) description?: string;
  @OptText(1000) transportation?: string;
  @ApiPropertyOptional({ minimum: -90, maximum: 90 }) @IsOptional() @IsNumber() @Min(-90) @Max(90) latitude?: number;
  @ApiPropertyOptional({ minimum: -180, maximum: 180 }) @IsOptional() @IsNumber() @Min(-180) @Max(180) longitude?: number;
  @OptText() address1?: string;
  @OptText() address1Ar?: string;
  @OptText() address2?: string;
  @OptText(120) city?: string;
  @OptText(120) cityAr?: string;
  @OptText(20) postalCode?: string;
  @ApiPropertyOptional({ example: 'MA-OUJ', description: 'Province code' })
  @IsOptional()
  @Matches(PLACE_CODE, { message: 'province must be a place code such as MA-OUJ' })
  province?: string;
}

export class PhoneInputDto {
  @OptId() id?: string;
  @ApiProperty() @IsString() @Length(3, 40) number: string;
  @OptText(20) type?: string;
  @OptText() description?: string;
  @ApiPropertyOptional({ type: [String] }) @IsOptional() @IsArray() @IsIn(SPOKEN_LANGUAGE_CODES, { each: true }) languages?: string[];
}

export class ContactInputDto {
  @OptId() id?: string;
  @OptText(200) name?: string;
  @OptText(200) title?: string;
  @ApiPropertyOptional() @IsOptional() @IsEmail() email?: string;
  @OptText(40) phone?: string;
}

export class ScheduleInputDto {
  @OptId() id?: string;
  @ApiProperty({ enum: WEEKDAYS, isArray: true }) @IsArray() @ArrayMinSize(1) @ArrayMaxSize(7) @IsIn(WEEKDAYS, { each: true }) byday: Weekday[];
  @ApiProperty({ example: '08:30' }) @Matches(TIME, { message: 'opensAt must be a time HH:MM' }) opensAt: string;
  @ApiProperty({ example: '16:30' })
  @Matches(TIME, { message: 'closesAt must be a time HH:MM' })
  @IsAfterField('opensAt')
  closesAt: string;
  @ApiPropertyOptional() @IsOptional() @IsISO8601({ strict: true }) validFrom?: string;
  @ApiPropertyOptional() @IsOptional() @IsISO8601({ strict: true }) validTo?: string;
  @OptText() description?: string;
  @OptText() notes?: string;
}

export class LanguageInputDto {
  @ApiProperty({ enum: SPOKEN_LANGUAGE_CODES }) @IsIn(SPOKEN_LANGUAGE_CODES) code: string;
  @OptText() note?: string;
}

export class CostOptionInputDto {
  @OptId() id?: string;
  @OptText() option?: string;
  @ApiPropertyOptional() @IsOptional() @IsNumber() @Min(0) amount?: number;
  @ApiPropertyOptional() @IsOptional() @Matches(/^[A-Z]{3}$/, { message: 'currency must be an ISO 4217 code' }) currency?: string;
  @OptText() amountDescription?: string;
}

export class RequiredDocumentInputDto {
  @OptId() id?: string;
  @ApiProperty() @IsString() @Length(1, 300) document: string;
  @ApiPropertyOptional() @IsOptional() @IsUrl() uri?: string;
}

export class ServiceAreaInputDto {
  @OptId() id?: string;
  @OptText() name?: string;
  @OptText(2000) description?: string;
  @ApiPropertyOptional({ example: 'MA-BER' })
  @IsOptional()
  @Matches(PLACE_CODE, { message: 'place must be a place code such as MA-OUJ' })
  place?: string;
}

export class CapacityInputDto {
  @OptId() id?: string;
  @ApiProperty({ example: 'beds' }) @IsString() @Length(1, 100) unitName: string;
  @ApiProperty() @IsInt() @Min(0) available: number;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(0) maximum?: number;
  @OptText() description?: string;
}

export class FocalPointInputDto {
  @OptId() id?: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'A user of the service’s organisation' }) @IsOptional() @IsUUID() userId?: string;
  @ApiPropertyOptional() @IsOptional() @IsEmail() email?: string;
  @OptText(200) name?: string;
  @ApiProperty({ enum: LANGUAGES }) @IsIn(LANGUAGES) language: Language;
}

const nested = <T>(cls: new () => T, max = 50) =>
  apply(ApiPropertyOptional({ type: [cls] }), IsOptional(), IsArray(), ArrayMaxSize(max), ValidateNested({ each: true }), Type(() => cls));

const hours = () => apply(ApiPropertyOptional({ minimum: 1, maximum: 720 }), IsOptional(), IsInt(), Min(1), Max(720));

export class CreateServiceDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'Given only by imports (upsert by id)' }) @IsOptional() @IsUUID() id?: string;
  @ApiProperty({ format: 'uuid' }) @IsUUID() organisationId: string;

  @OptText() nameFr?: string;
  @OptText() nameAr?: string;
  @OptText() nameEn?: string;
  @OptText() alternateName?: string;
  @OptText(5000) descriptionFr?: string;
  @OptText(5000) descriptionAr?: string;
  @OptText(5000) descriptionEn?: string;
  @OptText(2000) eligibilityFr?: string;
  @OptText(2000) eligibilityAr?: string;
  @OptText(2000) eligibilityEn?: string;
  @ApiPropertyOptional() @IsOptional() @IsUrl() @MaxLength(500) url?: string;
  @ApiPropertyOptional() @IsOptional() @IsEmail() email?: string;

  @ApiPropertyOptional({ enum: SERVICE_STATUSES }) @IsOptional() @IsIn(SERVICE_STATUSES) status?: ServiceStatus;
  @ApiPropertyOptional({ enum: SERVICE_TIERS }) @IsOptional() @IsIn(SERVICE_TIERS) tier?: ServiceTier;
  @ApiPropertyOptional({ enum: CAPACITY_STATUSES }) @IsOptional() @IsIn(CAPACITY_STATUSES) capacityStatus?: CapacityStatus;

  @ApiProperty({ enum: CATEGORY_CODES, isArray: true })
  @IsArray()
  @ArrayMinSize(1)
  @IsIn(CATEGORY_CODES, { each: true, message: 'categories must be known category codes' })
  categories: string[];

  @ApiPropertyOptional({ enum: POPULATION_CODES, isArray: true })
  @IsOptional()
  @IsArray()
  @IsIn(POPULATION_CODES, { each: true, message: 'populations must be known population codes' })
  populations?: string[];

  @ApiPropertyOptional() @IsOptional() @IsBoolean() freeOfCharge?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() noDocumentsRequired?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() interpreterAvailable?: boolean;
  @OptText(2000) feesDescription?: string;
  @OptText(2000) applicationProcess?: string;
  @OptText() waitTime?: string;
  @OptText(2000) alert?: string;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(0) @Max(120) minimumAge?: number;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(0) @Max(120) maximumAge?: number;
  @ApiPropertyOptional({ example: '2026-01-31' }) @IsOptional() @IsISO8601({ strict: true }) assuredDate?: string;
  @ApiPropertyOptional() @IsOptional() @IsEmail() assurerEmail?: string;

  @hours() responseHoursEmergency?: number;
  @hours() responseHoursUrgent?: number;
  @hours() responseHoursRoutine?: number;

  @nested(LocationInputDto, 20) locations?: LocationInputDto[];
  @nested(PhoneInputDto) phones?: PhoneInputDto[];
  @nested(ContactInputDto) contacts?: ContactInputDto[];
  @nested(ScheduleInputDto) schedules?: ScheduleInputDto[];
  @nested(LanguageInputDto) languages?: LanguageInputDto[];
  @nested(CostOptionInputDto) costOptions?: CostOptionInputDto[];
  @nested(RequiredDocumentInputDto) requiredDocuments?: RequiredDocumentInputDto[];
  @nested(ServiceAreaInputDto) serviceAreas?: ServiceAreaInputDto[];
  @nested(CapacityInputDto) capacities?: CapacityInputDto[];
  @nested(FocalPointInputDto, 20) focalPoints?: FocalPointInputDto[];
}

/** Fields sent replace the current value; a list sent replaces the whole list. */
export class UpdateServiceDto extends PartialType(OmitType(CreateServiceDto, ['id', 'organisationId'] as const)) {}

export class UpdateOrganisationProfileDto {
  @OptText() alternateName?: string;
  @OptText(5000) descriptionFr?: string;
  @OptText(5000) descriptionAr?: string;
  @OptText(5000) descriptionEn?: string;
  @ApiPropertyOptional() @IsOptional() @IsEmail() email?: string;
  @ApiPropertyOptional() @IsOptional() @IsUrl() @MaxLength(500) website?: string;
  @OptText(40) phone?: string;
}
