import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn, type Relation } from 'typeorm';
import { Organisation } from '../organisations/organisation.entity.js';
import { User } from '../users/user.entity.js';
import {
  CASE_STATUSES,
  CLOSURE_REASONS,
  REOPEN_REASONS,
  RISK_LEVELS,
  type CaseStatus,
  type ClosureReason,
  type ReopenReason,
  type RiskLevel,
} from './cases.constants.js';
import { Person } from './person.entity.js';

/** A case of a counselling unit (table `case_file`: CASE is an SQL keyword). */
@Entity('case_file')
@Index('case_file_unit_created_idx', ['unitId', 'createdAt', 'id'])
@Index('case_file_counsellor_idx', ['assignedCounsellorId'])
@Index('case_file_person_idx', ['personId'])
@Index('case_file_closed_idx', ['closedAt'], { where: "status = 'closed' AND anonymised_at IS NULL" })
export class Case {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** `OUJ-2026-00042`: unit code, year, number within the unit and year. Used instead of a name. */
  @Index('case_file_code_uq', { unique: true })
  @Column({ type: 'varchar', length: 24 })
  code: string;

  @Column({ type: 'uuid' })
  unitId: string;

  @ManyToOne(() => Organisation, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'unit_id', foreignKeyConstraintName: 'case_file_unit_fk' })
  unit?: Relation<Organisation>;

  @Column({ type: 'uuid' })
  personId: string;

  @ManyToOne(() => Person, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'person_id', foreignKeyConstraintName: 'case_file_person_fk' })
  person?: Relation<Person>;

  @Column({ type: 'uuid' })
  assignedCounsellorId: string;

  @ManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'assigned_counsellor_id', foreignKeyConstraintName: 'case_file_counsellor_fk' })
  assignedCounsellor?: Relation<User>;

  @Column({ type: 'enum', enum: CASE_STATUSES, enumName: 'case_status', default: 'open' })
  status: CaseStatus;

  @Column({ type: 'enum', enum: RISK_LEVELS, enumName: 'risk_level', default: 'low' })
  riskLevel: RiskLevel;

  @Column({ type: 'enum', enum: CLOSURE_REASONS, enumName: 'closure_reason', nullable: true })
  closureReason: ClosureReason | null;

  @Column({ type: 'timestamptz', nullable: true })
  closedAt: Date | null;

  @Column({ type: 'enum', enum: REOPEN_REASONS, enumName: 'reopen_reason', nullable: true })
  reopenReason: ReopenReason | null;

  @Column({ type: 'timestamptz', nullable: true })
  reopenedAt: Date | null;

  /** Bumped by every change; transitions are conditional on it. */
  @Column({ type: 'integer', default: 0 })
  version: number;

  @Column({ type: 'timestamptz', nullable: true })
  anonymisedAt: Date | null;

  @Column({ type: 'boolean', default: false })
  isDemo: boolean;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
