import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';
import { Organisation } from '../organisations/organisation.entity.js';

/**
 * The last case number used per unit and year. Allocation is one `INSERT … ON CONFLICT DO UPDATE
 * … RETURNING` inside the creating transaction: the row lock serialises concurrent creations and
 * a rollback gives the number back, so codes have neither gaps nor duplicates.
 */
@Entity('case_code_counter')
export class CaseCodeCounter {
  @PrimaryColumn({ type: 'uuid' })
  unitId: string;

  @ManyToOne(() => Organisation, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'unit_id', foreignKeyConstraintName: 'case_code_counter_unit_fk' })
  unit?: Relation<Organisation>;

  @PrimaryColumn({ type: 'integer' })
  year: number;

  @Column({ type: 'integer' })
  lastNumber: number;
}
