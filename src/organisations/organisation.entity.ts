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
import { ORGANISATION_TYPES, type OrganisationType } from '../authorization/actor.js';
import { Place } from '../places/place.entity.js';

@Entity('organisation')
@Index('organisation_created_idx', ['createdAt', 'id'])
export class Organisation {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 300 })
  name: string;

  /** The name in Arabic when the directory holds it (readers of Arabic see it, others `name`). */
  @Column({ type: 'varchar', length: 300, nullable: true })
  nameAr: string | null;

  /** Short code used in case codes (`OUJ` in OUJ-2026-00042); counselling units only. */
  @Index('organisation_code_uq', { unique: true, where: 'code IS NOT NULL' })
  @Column({ type: 'varchar', length: 10, nullable: true })
  code: string | null;

  @Column({ type: 'enum', enum: ORGANISATION_TYPES, enumName: 'organisation_type' })
  type: OrganisationType;

  @Index('organisation_region_idx')
  @Column({ type: 'uuid', nullable: true })
  regionId: string | null;

  @ManyToOne(() => Place, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'region_id', foreignKeyConstraintName: 'organisation_region_fk' })
  region?: Relation<Place>;

  @Column({ type: 'uuid', nullable: true })
  provinceId: string | null;

  @ManyToOne(() => Place, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'province_id', foreignKeyConstraintName: 'organisation_province_fk' })
  province?: Relation<Place>;

  @Column({ type: 'varchar', length: 20, default: 'active' })
  status: 'active' | 'inactive';

  /** Demo rows are labelled so they can be told apart (and never loaded in production). */
  @Column({ type: 'boolean', default: false })
  isDemo: boolean;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
