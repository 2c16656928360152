import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn, type Relation } from 'typeorm';
import { Organisation } from '../organisations/organisation.entity.js';
import { Place } from '../places/place.entity.js';
import {
  AGE_BANDS,
  PERSON_LANGUAGES,
  POPULATION_GROUPS,
  SEXES,
  type AgeBand,
  type PersonLanguage,
  type PopulationGroup,
  type Sex,
} from './cases.constants.js';

/**
 * A person a counselling unit works with: only what indicators disaggregate by. Names, phone,
 * address and document numbers live apart, encrypted, in `person_identity`.
 */
@Entity('person')
@Index('person_unit_created_idx', ['unitId', 'createdAt', 'id'])
export class Person {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  unitId: string;

  @ManyToOne(() => Organisation, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'unit_id', foreignKeyConstraintName: 'person_unit_fk' })
  unit?: Relation<Organisation>;

  @Column({ type: 'enum', enum: SEXES, enumName: 'sex' })
  sex: Sex;

  /** Exact birth date when known; cleared by anonymisation (the age band stays). */
  @Column({ type: 'date', nullable: true })
  birthDate: string | null;

  /** Given, or derived from the birth date at intake. */
  @Column({ type: 'enum', enum: AGE_BANDS, enumName: 'age_band', nullable: true })
  ageBand: AgeBand | null;

  /** ISO 3166-1 alpha-2 code. */
  @Column({ type: 'char', length: 2, nullable: true })
  nationality: string | null;

  @Column({ type: 'enum', enum: POPULATION_GROUPS, enumName: 'population_group', nullable: true })
  populationGroup: PopulationGroup | null;

  /** Province of residence. */
  @Column({ type: 'uuid', nullable: true })
  provinceId: string | null;

  @ManyToOne(() => Place, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'province_id', foreignKeyConstraintName: 'person_province_fk' })
  province?: Relation<Place>;

  /** Commune of residence, when known (within the province): where suggestions measure distance from. */
  @Column({ type: 'uuid', nullable: true })
  communeId: string | null;

  @ManyToOne(() => Place, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'commune_id', foreignKeyConstraintName: 'person_commune_fk' })
  commune?: Relation<Place>;

  @Column({ type: 'boolean', nullable: true })
  disability: boolean | null;

  @Column({ type: 'enum', enum: PERSON_LANGUAGES, enumName: 'person_language', array: true, default: () => "'{}'" })
  languages: PersonLanguage[];

  @Column({ type: 'timestamptz', nullable: true })
  anonymisedAt: Date | null;

  @Column({ type: 'boolean', default: false })
  isDemo: boolean;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
