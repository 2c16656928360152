import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn, type Relation } from 'typeorm';
import { User } from '../users/user.entity.js';
import { TASK_STATUSES, type TaskStatus } from './cases.constants.js';
import { Case } from './case.entity.js';

/** Something to do on a case by a date (call back, accompany, check an appointment). */
@Entity('follow_up_task')
@Index('follow_up_task_case_idx', ['caseId', 'createdAt', 'id'])
@Index('follow_up_task_due_idx', ['assignedToId', 'dueDate'], { where: "status = 'open'" })
export class FollowUpTask {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  caseId: string;

  @ManyToOne(() => Case, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'case_id', foreignKeyConstraintName: 'follow_up_task_case_fk' })
  case?: Relation<Case>;

  @Column({ type: 'date' })
  dueDate: string;

  @Column({ type: 'uuid' })
  assignedToId: string;

  @ManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'assigned_to_id', foreignKeyConstraintName: 'follow_up_task_assignee_fk' })
  assignedTo?: Relation<User>;

  /** What to do, encrypted (free text can name people); null once anonymised. */
  @Column({ type: 'text', nullable: true })
  descriptionEnc: string | null;

  @Column({ type: 'enum', enum: TASK_STATUSES, enumName: 'task_status', default: 'open' })
  status: TaskStatus;

  @Column({ type: 'timestamptz', nullable: true })
  completedAt: Date | null;

  @Column({ type: 'uuid', nullable: true })
  createdById: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
