import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, PrimaryGeneratedColumn, UpdateDateColumn, type Relation } from 'typeorm';
import { CATEGORIES, type Category } from '../common/categories.js';
import { Case } from '../cases/case.entity.js';
import { Consent } from '../cases/consent.entity.js';
import { Need } from '../cases/need.entity.js';
import { Service, ServiceAtLocation } from '../directory/directory.entity.js';
import { Organisation } from '../organisations/organisation.entity.js';
import { User } from '../users/user.entity.js';
import { PRIORITIES, REFERRAL_STATUSES, type Priority, type ReferralStatus } from './referral-state.js';
import { SHAREABLE_FIELDS, type ShareableField } from './shared-fields.js';

/**
 * A referral of one case's need to one service at a location (domain.md §5). `status` moves only
 * through the state machine (referral-state.ts) by a conditional UPDATE on (id, status, version).
 */
@Entity('referral')
@Index('referral_unit_created_idx', ['unitId', 'createdAt', 'id'])
@Index('referral_provider_created_idx', ['providerOrganisationId', 'createdAt', 'id'])
@Index('referral_created_idx', ['createdAt', 'id'])
@Index('referral_case_idx', ['caseId'])
@Index('referral_service_status_idx', ['serviceId', 'status'])
@Index('referral_overdue_idx', ['responseDueAt'], { where: `status = 'sent'` })
@Index('referral_service_answered_idx', ['serviceId', 'answeredAt'], { where: `answered_at IS NOT NULL` })
// Covering indexes of the reports, by sending unit and by provider (migrations ReportIndexes and
// ProviderReportIndex; INCLUDE is beyond TypeORM).
@Index('referral_report_idx', { synchronize: false })
@Index('referral_provider_report_idx', { synchronize: false })
// Referrals by the time they were sent, for the months the reporting roll-up does not hold (migration ReportReferralRollup).
@Index('referral_sent_at_idx', { synchronize: false })
export class Referral {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** REF-<unit code>-<year>-<number>: used in e-mails and on the phone instead of anything personal. */
  @Index('referral_reference_uq', { unique: true })
  @Column({ type: 'varchar', length: 40 })
  reference: string;

  @Column({ type: 'uuid' })
  caseId: string;

  @ManyToOne(() => Case, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'case_id', foreignKeyConstraintName: 'referral_case_fk' })
  case?: Relation<Case>;

  @Column({ type: 'uuid' })
  needId: string;

  @ManyToOne(() => Need, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'need_id', foreignKeyConstraintName: 'referral_need_fk' })
  need?: Relation<Need>;

  @Column({ type: 'enum', enum: CATEGORIES, enumName: 'need_category' })
  category: Category;

  @Column({ type: 'uuid' })
  serviceId: string;

  @ManyToOne(() => Service, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'service_id', foreignKeyConstraintName: 'referral_service_fk' })
  service?: Relation<Service>;

  @Column({ type: 'uuid' })
  serviceAtLocationId: string;

  @ManyToOne(() => ServiceAtLocation, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'service_at_location_id', foreignKeyConstraintName: 'referral_service_at_location_fk' })
  serviceAtLocation?: Relation<ServiceAtLocation>;

  /** The referring counselling unit. */
  @Column({ type: 'uuid' })
  unitId: string;

  @ManyToOne(() => Organisation, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'unit_id', foreignKeyConstraintName: 'referral_unit_fk' })
  unit?: Relation<Organisation>;

  /** The organisation that provides the service (receives the referral). */
  @Column({ type: 'uuid' })
  providerOrganisationId: string;

  @ManyToOne(() => Organisation, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'provider_organisation_id', foreignKeyConstraintName: 'referral_provider_fk' })
  providerOrganisation?: Relation<Organisation>;

  /** The counsellor who referred (receives the answers). */
  @Column({ type: 'uuid' })
  referredById: string;

  @ManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'referred_by_id', foreignKeyConstraintName: 'referral_referred_by_fk' })
  referredBy?: Relation<User>;

  @Column({ type: 'enum', enum: PRIORITIES, enumName: 'referral_priority' })
  priority: Priority;

  @Column({ type: 'enum', enum: REFERRAL_STATUSES, enumName: 'referral_status', default: 'draft' })
  status: ReferralStatus;

  @Column({ type: 'integer', default: 0 })
  version: number;

  /** The fields that travel to the provider (SHAREABLE_FIELDS). */
  @Column({ type: 'enum', enum: SHAREABLE_FIELDS, enumName: 'shareable_field', array: true, default: '{}' })
  sharedFields: ShareableField[];

  /** A note for the provider (FieldCipher; it may say something about the person). */
  @Column({ type: 'text', nullable: true })
  noteEnc: string | null;

  /**
   * The shared fields' values as they were when the referral was sent (FieldCipher, JSON): the only
   * person data a provider ever reads. Erased when consent no longer covers the referral.
   */
  @Column({ type: 'text', nullable: true })
  sharedEnc: string | null;

  /** When a consent withdrawal erased what this referral shared (the provider sees "consent withdrawn"). */
  @Column({ type: 'timestamptz', nullable: true })
  consentWithdrawnAt: Date | null;

  /** The consent that covered the referral when it was sent. */
  @Column({ type: 'uuid', nullable: true })
  consentId: string | null;

  @ManyToOne(() => Consent, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'consent_id', foreignKeyConstraintName: 'referral_consent_fk' })
  consent?: Relation<Consent>;

  @Column({ type: 'timestamptz', nullable: true }) sentAt: Date | null;
  @Column({ type: 'timestamptz', nullable: true }) responseDueAt: Date | null;
  /** Accepted or declined. */
  @Column({ type: 'timestamptz', nullable: true }) answeredAt: Date | null;
  @Column({ type: 'timestamptz', nullable: true }) startedAt: Date | null;
  @Column({ type: 'timestamptz', nullable: true }) closedAt: Date | null;
  @Column({ type: 'timestamptz', nullable: true }) appointmentAt: Date | null;

  @Column({ type: 'varchar', length: 40, nullable: true }) reasonCode: string | null;
  /** The text that goes with reason `other` (FieldCipher). */
  @Column({ type: 'text', nullable: true }) reasonTextEnc: string | null;
  @Column({ type: 'varchar', length: 40, nullable: true }) outcomeCode: string | null;
  /** The provider's note back to the referring unit with its answer or outcome (FieldCipher). */
  @Column({ type: 'text', nullable: true }) replyNoteEnc: string | null;

  /** A re-referral points at the referral it replaces (declined / not completed). */
  @Column({ type: 'uuid', nullable: true })
  previousReferralId: string | null;

  @ManyToOne(() => Referral, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'previous_referral_id', foreignKeyConstraintName: 'referral_previous_fk' })
  previousReferral?: Relation<Referral>;

  /** On a decline, the provider may propose another service (at a location) instead. */
  @Column({ type: 'uuid', nullable: true })
  proposedServiceAtLocationId: string | null;

  @ManyToOne(() => ServiceAtLocation, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'proposed_service_at_location_id', foreignKeyConstraintName: 'referral_proposed_sal_fk' })
  proposedServiceAtLocation?: Relation<ServiceAtLocation>;

  /** When the overdue reminder / the escalation went to the outbox (each once). */
  @Column({ type: 'timestamptz', nullable: true }) remindedAt: Date | null;
  @Column({ type: 'timestamptz', nullable: true }) escalatedAt: Date | null;

  @Column({ type: 'boolean', default: false })
  isDemo: boolean;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}

/** One step of a referral's history: who, when, from → to, and why. Append-only. */
@Entity('referral_event')
@Index('referral_event_referral_idx', ['referralId', 'at', 'id'])
export class ReferralEvent {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  referralId: string;

  @ManyToOne(() => Referral, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'referral_id', foreignKeyConstraintName: 'referral_event_referral_fk' })
  referral?: Relation<Referral>;

  /** Null for the system (reminder job, consent withdrawal). */
  @Column({ type: 'uuid', nullable: true })
  actorId: string | null;

  @ManyToOne(() => User, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'actor_id', foreignKeyConstraintName: 'referral_event_actor_fk' })
  actor?: Relation<User>;

  /** `create`, a transition name, or `re-refer`. */
  @Column({ type: 'varchar', length: 20 })
  action: string;

  @Column({ type: 'enum', enum: REFERRAL_STATUSES, enumName: 'referral_status', nullable: true })
  fromStatus: ReferralStatus | null;

  @Column({ type: 'enum', enum: REFERRAL_STATUSES, enumName: 'referral_status' })
  toStatus: ReferralStatus;

  @Column({ type: 'varchar', length: 40, nullable: true }) reasonCode: string | null;
  @Column({ type: 'text', nullable: true }) reasonTextEnc: string | null;
  @Column({ type: 'varchar', length: 40, nullable: true }) outcomeCode: string | null;

  /** clock_timestamp(), not now(): several steps in one transaction (create + send) keep their order. */
  @CreateDateColumn({ type: 'timestamptz', default: () => 'clock_timestamp()' })
  at: Date;
}

/** Last referral number per unit and year (same allocation as case codes: no gaps, no duplicates). */
@Entity('referral_counter')
export class ReferralCounter {
  @PrimaryColumn({ type: 'uuid' })
  unitId: string;

  @ManyToOne(() => Organisation, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'unit_id', foreignKeyConstraintName: 'referral_counter_unit_fk' })
  unit?: Relation<Organisation>;

  @PrimaryColumn({ type: 'integer' })
  year: number;

  @Column({ type: 'integer' })
  lastNumber: number;
}
