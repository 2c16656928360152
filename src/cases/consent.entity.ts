import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { CATEGORIES, type Category } from '../common/categories.js';
import { CONSENT_GIVERS, CONSENT_METHODS, SHAREABLE_FIELDS, type ConsentGiver, type ConsentMethod, type ShareableField } from './cases.constants.js';
import { Case } from './case.entity.js';

/**
 * Consent to refer: who gave it, when, how, for which service categories and/or organisations, and
 * which data may travel. A withdrawal is recorded on the row (never deleted) and stops new referrals.
 */
@Entity('consent')
@Index('consent_case_idx', ['caseId', 'createdAt', 'id'])
export class Consent {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  caseId: string;

  @ManyToOne(() => Case, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'case_id', foreignKeyConstraintName: 'consent_case_fk' })
  case?: Relation<Case>;

  @Column({ type: 'enum', enum: CONSENT_GIVERS, enumName: 'consent_giver' })
  givenBy: ConsentGiver;

  @Column({ type: 'timestamptz' })
  givenAt: Date;

  @Column({ type: 'enum', enum: CONSENT_METHODS, enumName: 'consent_method' })
  method: ConsentMethod;

  /** Service categories covered; empty = any category (then organisations must be listed). */
  @Column({ type: 'enum', enum: CATEGORIES, enumName: 'need_category', array: true, default: () => "'{}'" })
  categories: Category[];

  /** Organisations covered; empty = any organisation (then categories must be listed). */
  @Column({ type: 'uuid', array: true, default: () => "'{}'" })
  organisationIds: string[];

  /** Data that may be shared with those services. */
  @Column({ type: 'enum', enum: SHAREABLE_FIELDS, enumName: 'shareable_field', array: true })
  fields: ShareableField[];

  @Column({ type: 'uuid', nullable: true })
  recordedById: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  withdrawnAt: Date | null;

  @Column({ type: 'uuid', nullable: true })
  withdrawnById: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
