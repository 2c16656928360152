import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
  type Relation,
} from 'typeorm';
import { LANGUAGES, ROLES, type Language, type Role } from '../authorization/actor.js';
import { Organisation } from '../organisations/organisation.entity.js';

export const USER_STATUSES = ['invited', 'active', 'disabled'] as const;
export type UserStatus = (typeof USER_STATUSES)[number];

@Entity('app_user')
@Index('app_user_org_created_idx', ['organisationId', 'createdAt', 'id'])
@Index('app_user_created_idx', ['createdAt', 'id'])
export class User {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** Stored lower-cased; unique. */
  @Index('app_user_email_uq', { unique: true })
  @Column({ type: 'varchar', length: 254 })
  email: string;

  @Column({ type: 'varchar', length: 200 })
  displayName: string;

  @Column({ type: 'varchar', length: 200, nullable: true })
  passwordHash: string | null;

  @Column({ type: 'uuid' })
  organisationId: string;

  @ManyToOne(() => Organisation, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'organisation_id', foreignKeyConstraintName: 'app_user_organisation_fk' })
  organisation?: Relation<Organisation>;

  @Column({ type: 'enum', enum: ROLES, enumName: 'role', array: true })
  roles: Role[];

  @Column({ type: 'enum', enum: LANGUAGES, enumName: 'language', default: 'fr' })
  language: Language;

  @Column({ type: 'enum', enum: USER_STATUSES, enumName: 'user_status', default: 'invited' })
  status: UserStatus;

  /** Bumped on disable, role change, password change: every token issued before stops working. */
  @Column({ type: 'integer', default: 0 })
  tokenVersion: number;

  @Column({ type: 'integer', default: 0 })
  failedLogins: number;

  @Column({ type: 'timestamptz', nullable: true })
  lockedUntil: Date | null;

  /** TOTP secret, encrypted with the field cipher. */
  @Column({ type: 'text', nullable: true })
  mfaSecret: string | null;

  @Column({ type: 'boolean', default: false })
  mfaEnabled: boolean;

  @Column({ type: 'timestamptz', nullable: true })
  lastLoginAt: Date | null;

  @Column({ type: 'boolean', default: false })
  isDemo: boolean;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
