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
import { Organisation } from '../organisations/organisation.entity.js';
import { Place } from '../places/place.entity.js';
import { User } from '../users/user.entity.js';
import { ACTIVITY_KINDS, type ActivityKind } from './activity.constants.js';

/** A training, workshop, fair or symposium of the programme (domain.md §6, CAP-1 and CAP-2). */
@Entity('activity')
@Index('activity_created_idx', ['createdAt', 'id'])
@Index('activity_region_held_idx', ['regionId', 'heldOn'])
@Index('activity_kind_held_idx', ['kind', 'heldOn'])
export class Activity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'enum', enum: ACTIVITY_KINDS, enumName: 'activity_kind' })
  kind: ActivityKind;

  @Column({ type: 'varchar', length: 300 })
  topic: string;

  @Column({ type: 'date' })
  heldOn: string;

  /** Where it took place: a region, province or commune. */
  @Column({ type: 'uuid' })
  placeId: string;

  @ManyToOne(() => Place, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'place_id', foreignKeyConstraintName: 'activity_place_fk' })
  place?: Relation<Place>;

  /** The region of the place, kept for scoping and reporting. */
  @Column({ type: 'uuid' })
  regionId: string;

  @ManyToOne(() => Place, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'region_id', foreignKeyConstraintName: 'activity_region_fk' })
  region?: Relation<Place>;

  /** The province of the place (null when the activity is recorded for a whole region). */
  @Column({ type: 'uuid', nullable: true })
  provinceId: string | null;

  @ManyToOne(() => Place, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'province_id', foreignKeyConstraintName: 'activity_province_fk' })
  province?: Relation<Place>;

  /** The organisation that recorded it (the coordinator's coordination body, the programme, …). */
  @Column({ type: 'uuid' })
  organiserOrganisationId: string;

  @ManyToOne(() => Organisation, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'organiser_organisation_id', foreignKeyConstraintName: 'activity_organiser_fk' })
  organiserOrganisation?: Relation<Organisation>;

  @Column({ type: 'uuid', nullable: true })
  createdById: string | null;

  @ManyToOne(() => User, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'created_by_id', foreignKeyConstraintName: 'activity_created_by_fk' })
  createdBy?: Relation<User>;

  @Column({ type: 'boolean', default: false })
  isDemo: boolean;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
