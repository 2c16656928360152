import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { CATEGORIES, type Category } from '../common/categories.js';
import { Organisation } from '../organisations/organisation.entity.js';
import { DELIVERY_OUTCOMES, type DeliveryOutcome } from './cases.constants.js';
import { Case } from './case.entity.js';
import { Person } from './person.entity.js';

/**
 * A dated record that a person received a service: from a provider through a referral, or from the
 * counselling unit itself (e.g. a psychosocial session). What the indicators count.
 * `serviceId` and `referralId` are plain uuids without foreign keys: the directory and referrals
 * tables are built by other modules (and the delivery must survive their changes).
 */
@Entity('delivery')
@Index('delivery_case_idx', ['caseId', 'createdAt', 'id'])
@Index('delivery_person_idx', ['personId'])
@Index('delivery_unit_date_idx', ['unitId', 'deliveredOn'])
@Index('delivery_category_date_idx', ['category', 'deliveredOn'])
@Index('delivery_referral_uq', ['referralId'], { unique: true, where: 'referral_id IS NOT NULL' })
// Covering indexes of the reports (migration ReportIndexes; INCLUDE is beyond TypeORM).
@Index('delivery_report_idx', { synchronize: false })
@Index('delivery_referral_report_idx', { synchronize: false })
export class Delivery {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  personId: string;

  @ManyToOne(() => Person, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'person_id', foreignKeyConstraintName: 'delivery_person_fk' })
  person?: Relation<Person>;

  @Column({ type: 'uuid' })
  caseId: string;

  @ManyToOne(() => Case, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'case_id', foreignKeyConstraintName: 'delivery_case_fk' })
  case?: Relation<Case>;

  /** The counselling unit holding the case (indicators group by it). */
  @Column({ type: 'uuid' })
  unitId: string;

  @ManyToOne(() => Organisation, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'unit_id', foreignKeyConstraintName: 'delivery_unit_fk' })
  unit?: Relation<Organisation>;

  @Column({ type: 'enum', enum: CATEGORIES, enumName: 'need_category' })
  category: Category;

  /** The directory service, when known (no FK: see above). */
  @Column({ type: 'uuid', nullable: true })
  serviceId: string | null;

  /** Who delivered: a provider, or the unit itself. */
  @Column({ type: 'uuid' })
  providerOrganisationId: string;

  @ManyToOne(() => Organisation, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'provider_organisation_id', foreignKeyConstraintName: 'delivery_provider_fk' })
  providerOrganisation?: Relation<Organisation>;

  @Column({ type: 'date' })
  deliveredOn: string;

  @Column({ type: 'enum', enum: DELIVERY_OUTCOMES, enumName: 'delivery_outcome' })
  outcome: DeliveryOutcome;

  /** The referral this delivery closes, if any (no FK: see above). One delivery per referral. */
  @Column({ type: 'uuid', nullable: true })
  referralId: string | null;

  @Column({ type: 'uuid', nullable: true })
  recordedById: string | null;

  @Column({ type: 'boolean', default: false })
  isDemo: boolean;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
