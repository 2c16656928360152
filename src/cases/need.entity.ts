import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn, type Relation } from 'typeorm';
import { CATEGORIES, type Category } from '../common/categories.js';
import { NEED_STATUSES, type NeedStatus } from './cases.constants.js';
import { Case } from './case.entity.js';

/** What a person needs, in the directory's categories. One open need per category and case. */
@Entity('case_need')
@Index('case_need_case_idx', ['caseId', 'createdAt', 'id'])
@Index('case_need_open_uq', ['caseId', 'category'], { unique: true, where: "status = 'open'" })
export class Need {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  caseId: string;

  @ManyToOne(() => Case, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'case_id', foreignKeyConstraintName: 'case_need_case_fk' })
  case?: Relation<Case>;

  @Column({ type: 'enum', enum: CATEGORIES, enumName: 'need_category' })
  category: Category;

  @Column({ type: 'enum', enum: NEED_STATUSES, enumName: 'need_status', default: 'open' })
  status: NeedStatus;

  @Column({ type: 'uuid', nullable: true })
  recordedById: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  closedAt: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
