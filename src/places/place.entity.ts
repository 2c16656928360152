import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';

export const PLACE_LEVELS = ['country', 'region', 'province', 'commune'] as const;
export type PlaceLevel = (typeof PLACE_LEVELS)[number];

/** Country → region → province/prefecture → commune, named in French and Arabic (domain.md §1). */
@Entity('place')
export class Place {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index('place_code_uq', { unique: true })
  @Column({ type: 'varchar', length: 40 })
  code: string;

  @Column({ type: 'enum', enum: PLACE_LEVELS, enumName: 'place_level' })
  level: PlaceLevel;

  @Column({ type: 'varchar', length: 200 })
  nameFr: string;

  @Column({ type: 'varchar', length: 200 })
  nameAr: string;

  @Index('place_parent_idx')
  @Column({ type: 'uuid', nullable: true })
  parentId: string | null;

  @ManyToOne(() => Place, { onDelete: 'RESTRICT', nullable: true })
  @JoinColumn({ name: 'parent_id', foreignKeyConstraintName: 'place_parent_fk' })
  parent?: Relation<Place>;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
