import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  PrimaryGeneratedColumn,
  type Relation,
} from 'typeorm';
import { SERVICE_TIERS, type ServiceTier } from '../authorization/ability.factory.js';
import { LANGUAGES, type Language } from '../authorization/actor.js';
import { Organisation } from '../organisations/organisation.entity.js';
import { Place } from '../places/place.entity.js';
import { User } from '../users/user.entity.js';
import { CAPACITY_STATUSES, SERVICE_STATUSES, type CapacityStatus, type ServiceStatus, type Weekday } from './taxonomy.data.js';

/**
 * The service directory, aligned with Open Referral HSDS 3.1 (see hsds.mapper.ts for the JSON shape).
 * An HSDS "organization" is our `organisation` row (type service_provider) plus its directory
 * profile below; services, locations and their parts belong to it.
 */
@Entity('directory_organisation')
export class DirectoryOrganisation {
  @PrimaryColumn({ type: 'uuid' })
  organisationId: string;

  @ManyToOne(() => Organisation, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'organisation_id', foreignKeyConstraintName: 'directory_organisation_organisation_fk' })
  organisation?: Relation<Organisation>;

  @Column({ type: 'varchar', length: 300, nullable: true }) alternateName: string | null;
  @Column({ type: 'text', nullable: true }) descriptionFr: string | null;
  @Column({ type: 'text', nullable: true }) descriptionAr: string | null;
  @Column({ type: 'text', nullable: true }) descriptionEn: string | null;
  @Column({ type: 'varchar', length: 254, nullable: true }) email: string | null;
  @Column({ type: 'varchar', length: 500, nullable: true }) website: string | null;
  @Column({ type: 'varchar', length: 40, nullable: true }) phone: string | null;
  @Column({ type: 'timestamptz', default: () => 'now()' }) lastModified: Date;
  @Column({ type: 'uuid', nullable: true }) updatedById: string | null;

  @ManyToOne(() => User, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'updated_by_id', foreignKeyConstraintName: 'directory_organisation_updated_by_fk' })
  updatedBy?: Relation<User>;
}

@Entity('service')
@Index('service_created_idx', ['createdAt', 'id'])
@Index('service_last_modified_idx', ['lastModified'])
// GIN indexes (categories, populations, full text, trigram) are hand-written in the migration.
@Index('service_categories_gin', { synchronize: false })
@Index('service_populations_gin', { synchronize: false })
@Index('service_search_document_gin', { synchronize: false })
export class Service {
  @PrimaryGeneratedColumn('uuid') id: string;

  @Index('service_organisation_idx')
  @Column({ type: 'uuid' })
  organisationId: string;

  @ManyToOne(() => Organisation, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'organisation_id', foreignKeyConstraintName: 'service_organisation_fk' })
  organisation?: Relation<Organisation>;

  /** Region and province used for authorisation and filters: the first location's province, else the organisation's. */
  @Index('service_region_idx')
  @Column({ type: 'uuid', nullable: true })
  regionId: string | null;

  @ManyToOne(() => Place, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'region_id', foreignKeyConstraintName: 'service_region_fk' })
  region?: Relation<Place>;

  @Index('service_province_idx')
  @Column({ type: 'uuid', nullable: true })
  provinceId: string | null;

  @ManyToOne(() => Place, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'province_id', foreignKeyConstraintName: 'service_province_fk' })
  province?: Relation<Place>;

  @Column({ type: 'varchar', length: 300, nullable: true }) nameFr: string | null;
  @Column({ type: 'varchar', length: 300, nullable: true }) nameAr: string | null;
  @Column({ type: 'varchar', length: 300, nullable: true }) nameEn: string | null;
  @Column({ type: 'varchar', length: 300, nullable: true }) alternateName: string | null;
  @Column({ type: 'text', nullable: true }) descriptionFr: string | null;
  @Column({ type: 'text', nullable: true }) descriptionAr: string | null;
  @Column({ type: 'text', nullable: true }) descriptionEn: string | null;
  @Column({ type: 'text', nullable: true }) eligibilityFr: string | null;
  @Column({ type: 'text', nullable: true }) eligibilityAr: string | null;
  @Column({ type: 'text', nullable: true }) eligibilityEn: string | null;
  @Column({ type: 'varchar', length: 500, nullable: true }) url: string | null;
  @Column({ type: 'varchar', length: 254, nullable: true }) email: string | null;

  @Column({ type: 'enum', enum: SERVICE_STATUSES, enumName: 'service_status', default: 'active' })
  status: ServiceStatus;

  @Column({ type: 'enum', enum: SERVICE_TIERS, enumName: 'service_tier', default: 'public' })
  tier: ServiceTier;

  @Column({ type: 'enum', enum: CAPACITY_STATUSES, enumName: 'capacity_status', default: 'accepting' })
  capacityStatus: CapacityStatus;

  /** Category codes (taxonomy.data.ts). */
  @Column({ type: 'varchar', length: 40, array: true, default: '{}' }) categories: string[];
  /** Population codes (taxonomy.data.ts). */
  @Column({ type: 'varchar', length: 40, array: true, default: '{}' }) populations: string[];

  @Column({ type: 'boolean', default: false }) freeOfCharge: boolean;
  @Column({ type: 'boolean', default: false }) noDocumentsRequired: boolean;
  @Column({ type: 'boolean', default: false }) interpreterAvailable: boolean;

  @Column({ type: 'text', nullable: true }) feesDescription: string | null;
  @Column({ type: 'text', nullable: true }) applicationProcess: string | null;
  @Column({ type: 'varchar', length: 300, nullable: true }) waitTime: string | null;
  @Column({ type: 'text', nullable: true }) alert: string | null;
  @Column({ type: 'integer', nullable: true }) minimumAge: number | null;
  @Column({ type: 'integer', nullable: true }) maximumAge: number | null;
  @Column({ type: 'date', nullable: true }) assuredDate: string | null;
  @Column({ type: 'varchar', length: 254, nullable: true }) assurerEmail: string | null;

  /** Per-service response deadlines overriding domain.md §5 (4 h / 24 h / 72 h); null = default. */
  @Column({ type: 'integer', nullable: true }) responseHoursEmergency: number | null;
  @Column({ type: 'integer', nullable: true }) responseHoursUrgent: number | null;
  @Column({ type: 'integer', nullable: true }) responseHoursRoutine: number | null;

  /** Full-text vector of the folded (accents, Arabic diacritics) listing; maintained by DirectoryRepository.refreshSearch. */
  @Column({ type: 'tsvector', nullable: true, select: false }) searchDocument: string | null;

  @Column({ type: 'boolean', default: false }) isDemo: boolean;
  @Column({ type: 'integer', default: 0 }) version: number;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @Column({ type: 'timestamptz', default: () => 'now()' }) lastModified: Date;
  @Column({ type: 'uuid', nullable: true }) updatedById: string | null;

  @ManyToOne(() => User, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'updated_by_id', foreignKeyConstraintName: 'service_updated_by_fk' })
  updatedBy?: Relation<User>;
}

@Entity('location')
@Index('location_organisation_idx', ['organisationId'])
@Index('location_lat_lon_idx', ['latitude', 'longitude'])
export class Location {
  @PrimaryGeneratedColumn('uuid') id: string;

  @Column({ type: 'uuid' }) organisationId: string;

  @ManyToOne(() => Organisation, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'organisation_id', foreignKeyConstraintName: 'location_organisation_fk' })
  organisation?: Relation<Organisation>;

  @Column({ type: 'varchar', length: 20, default: 'physical' }) locationType: 'physical' | 'postal' | 'virtual';
  @Column({ type: 'varchar', length: 300, nullable: true }) name: string | null;
  /** Name, street and city in Arabic where held (read in Arabic, else the French beside them). */
  @Column({ type: 'varchar', length: 300, nullable: true }) nameAr: string | null;
  @Column({ type: 'text', nullable: true }) description: string | null;
  @Column({ type: 'text', nullable: true }) transportation: string | null;
  @Column({ type: 'double precision', nullable: true }) latitude: number | null;
  @Column({ type: 'double precision', nullable: true }) longitude: number | null;

  /** The HSDS address of this location is stored inline; it keeps its own id. */
  @Column({ type: 'uuid' }) addressId: string;
  @Column({ type: 'varchar', length: 300, nullable: true }) address1: string | null;
  @Column({ type: 'varchar', length: 300, nullable: true, name: 'address_1_ar' }) address1Ar: string | null;
  @Column({ type: 'varchar', length: 300, nullable: true }) address2: string | null;
  @Column({ type: 'varchar', length: 120, nullable: true }) city: string | null;
  @Column({ type: 'varchar', length: 120, nullable: true }) cityAr: string | null;
  @Column({ type: 'varchar', length: 20, nullable: true }) postalCode: string | null;
  @Column({ type: 'varchar', length: 2, default: 'MA' }) country: string;

  @Column({ type: 'uuid', nullable: true }) provinceId: string | null;

  @ManyToOne(() => Place, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'province_id', foreignKeyConstraintName: 'location_province_fk' })
  province?: Relation<Place>;

  @Column({ type: 'boolean', default: false }) isDemo: boolean;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @Column({ type: 'timestamptz', default: () => 'now()' }) lastModified: Date;
}

@Entity('service_at_location')
@Index('service_at_location_service_location_uq', ['serviceId', 'locationId'], { unique: true })
@Index('service_at_location_location_idx', ['locationId'])
@Index('service_at_location_created_idx', ['createdAt', 'id'])
export class ServiceAtLocation {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'uuid' }) serviceId: string;

  @ManyToOne(() => Service, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'service_id', foreignKeyConstraintName: 'service_at_location_service_fk' })
  service?: Relation<Service>;

  @Column({ type: 'uuid' }) locationId: string;

  @ManyToOne(() => Location, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'location_id', foreignKeyConstraintName: 'service_at_location_location_fk' })
  location?: Relation<Location>;

  @Column({ type: 'text', nullable: true }) description: string | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
}

/** Parts owned by one service (replaced as a whole when the service's list of them changes). */
abstract class ServicePart {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'uuid' }) serviceId: string;
}

@Entity('service_phone')
@Index('service_phone_service_idx', ['serviceId'])
export class Phone extends ServicePart {
  @ManyToOne(() => Service, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'service_id', foreignKeyConstraintName: 'service_phone_service_fk' })
  service?: Relation<Service>;

  @Column({ type: 'varchar', length: 40 }) number: string;
  @Column({ type: 'varchar', length: 20, nullable: true }) type: string | null;
  @Column({ type: 'varchar', length: 300, nullable: true }) description: string | null;
  @Column({ type: 'varchar', length: 10, array: true, default: '{}' }) languages: string[];
}

@Entity('service_contact')
@Index('service_contact_service_idx', ['serviceId'])
export class Contact extends ServicePart {
  @ManyToOne(() => Service, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'service_id', foreignKeyConstraintName: 'service_contact_service_fk' })
  service?: Relation<Service>;

  @Column({ type: 'varchar', length: 200, nullable: true }) name: string | null;
  @Column({ type: 'varchar', length: 200, nullable: true }) title: string | null;
  @Column({ type: 'varchar', length: 254, nullable: true }) email: string | null;
  @Column({ type: 'varchar', length: 40, nullable: true }) phone: string | null;
}

@Entity('service_schedule')
@Index('service_schedule_service_idx', ['serviceId'])
@Check('service_schedule_hours_chk', 'closes_at > opens_at')
export class Schedule extends ServicePart {
  @ManyToOne(() => Service, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'service_id', foreignKeyConstraintName: 'service_schedule_service_fk' })
  service?: Relation<Service>;

  /** Days of the week (RFC 5545 BYDAY codes). */
  @Column({ type: 'varchar', length: 2, array: true }) byday: Weekday[];
  /** Local time in Africa/Casablanca. */
  @Column({ type: 'time' }) opensAt: string;
  @Column({ type: 'time' }) closesAt: string;
  @Column({ type: 'date', nullable: true }) validFrom: string | null;
  @Column({ type: 'date', nullable: true }) validTo: string | null;
  @Column({ type: 'varchar', length: 300, nullable: true }) description: string | null;
  @Column({ type: 'varchar', length: 300, nullable: true }) notes: string | null;
}

@Entity('service_language')
@Index('service_language_service_code_uq', ['serviceId', 'code'], { unique: true })
@Index('service_language_code_idx', ['code', 'serviceId'])
export class ServiceLanguage extends ServicePart {
  @ManyToOne(() => Service, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'service_id', foreignKeyConstraintName: 'service_language_service_fk' })
  service?: Relation<Service>;

  @Column({ type: 'varchar', length: 10 }) code: string;
  @Column({ type: 'varchar', length: 300, nullable: true }) note: string | null;
}

@Entity('cost_option')
@Index('cost_option_service_idx', ['serviceId'])
export class CostOption extends ServicePart {
  @ManyToOne(() => Service, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'service_id', foreignKeyConstraintName: 'cost_option_service_fk' })
  service?: Relation<Service>;

  @Column({ type: 'varchar', length: 300, nullable: true }) option: string | null;
  @Column({ type: 'double precision', nullable: true }) amount: number | null;
  @Column({ type: 'varchar', length: 3, nullable: true }) currency: string | null;
  @Column({ type: 'varchar', length: 300, nullable: true }) amountDescription: string | null;
}

@Entity('required_document')
@Index('required_document_service_idx', ['serviceId'])
export class RequiredDocument extends ServicePart {
  @ManyToOne(() => Service, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'service_id', foreignKeyConstraintName: 'required_document_service_fk' })
  service?: Relation<Service>;

  @Column({ type: 'varchar', length: 300 }) document: string;
  @Column({ type: 'varchar', length: 500, nullable: true }) uri: string | null;
}

@Entity('service_area')
@Index('service_area_service_idx', ['serviceId'])
export class ServiceArea extends ServicePart {
  @ManyToOne(() => Service, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'service_id', foreignKeyConstraintName: 'service_area_service_fk' })
  service?: Relation<Service>;

  @Column({ type: 'varchar', length: 300, nullable: true }) name: string | null;
  @Column({ type: 'text', nullable: true }) description: string | null;
  @Column({ type: 'uuid', nullable: true }) placeId: string | null;

  @ManyToOne(() => Place, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'place_id', foreignKeyConstraintName: 'service_area_place_fk' })
  place?: Relation<Place>;
}

@Entity('service_capacity')
@Index('service_capacity_service_idx', ['serviceId'])
export class ServiceCapacity extends ServicePart {
  @ManyToOne(() => Service, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'service_id', foreignKeyConstraintName: 'service_capacity_service_fk' })
  service?: Relation<Service>;

  /** HSDS `unit` (beds, places, appointments…), kept inline with a stable id. */
  @Column({ type: 'uuid' }) unitId: string;
  @Column({ type: 'varchar', length: 100 }) unitName: string;
  @Column({ type: 'integer' }) available: number;
  @Column({ type: 'integer', nullable: true }) maximum: number | null;
  @Column({ type: 'varchar', length: 300, nullable: true }) description: string | null;
  @Column({ type: 'timestamptz', default: () => 'now()' }) updated: Date;
}

/** Who is told about a new referral to this service: a user of the provider, or an e-mail address, with a language. */
@Entity('focal_point')
@Index('focal_point_service_idx', ['serviceId'])
@Index('focal_point_user_idx', ['userId'])
@Check('focal_point_who_chk', 'user_id IS NOT NULL OR email IS NOT NULL')
export class FocalPoint extends ServicePart {
  @ManyToOne(() => Service, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'service_id', foreignKeyConstraintName: 'focal_point_service_fk' })
  service?: Relation<Service>;

  @Column({ type: 'uuid', nullable: true }) userId: string | null;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'focal_point_user_fk' })
  user?: Relation<User>;

  @Column({ type: 'varchar', length: 254, nullable: true }) email: string | null;
  @Column({ type: 'varchar', length: 200, nullable: true }) name: string | null;
  @Column({ type: 'enum', enum: LANGUAGES, enumName: 'language', default: 'fr' }) language: Language;
}

/**
 * A provider's past responsiveness per service, for suggestions. The referrals feature fills it
 * at each acceptance (median hours from `sent` to accepted over the latest acceptances, as REF-4
 * counts them); until then it is empty and scores 0.
 */
@Entity('service_response_stats')
export class ServiceResponseStats {
  @PrimaryColumn({ type: 'uuid' }) serviceId: string;

  @ManyToOne(() => Service, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'service_id', foreignKeyConstraintName: 'service_response_stats_service_fk' })
  service?: Relation<Service>;

  @Column({ type: 'double precision', nullable: true }) medianResponseHours: number | null;
  @Column({ type: 'integer', default: 0 }) sampleSize: number;
  @Column({ type: 'timestamptz', default: () => 'now()' }) updatedAt: Date;
}

/**
 * Every word of the directory's search documents, with a trigram index: a query word with a typo
 * is matched to its nearest known words, which then go into the full-text query (fast typo
 * tolerance without a trigram scan of every listing).
 */
@Entity('directory_search_word')
@Index('directory_search_word_trgm', { synchronize: false })
export class DirectorySearchWord {
  @PrimaryColumn({ type: 'text' }) word: string;
}

export const DIRECTORY_ENTITIES = [
  DirectorySearchWord,
  DirectoryOrganisation,
  Service,
  Location,
  ServiceAtLocation,
  Phone,
  Contact,
  Schedule,
  ServiceLanguage,
  CostOption,
  RequiredDocument,
  ServiceArea,
  ServiceCapacity,
  FocalPoint,
  ServiceResponseStats,
];
