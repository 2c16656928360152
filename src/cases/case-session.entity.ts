import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { User } from '../users/user.entity.js';
import { SESSION_KINDS, type SessionKind } from './cases.constants.js';
import { Case } from './case.entity.js';

/** A dated session with the person, or a note on the case, by a member of the unit. The text is encrypted. */
@Entity('case_session')
@Index('case_session_case_idx', ['caseId', 'createdAt', 'id'])
export class CaseSession {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  caseId: string;

  @ManyToOne(() => Case, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'case_id', foreignKeyConstraintName: 'case_session_case_fk' })
  case?: Relation<Case>;

  @Column({ type: 'date' })
  sessionDate: string;

  @Column({ type: 'enum', enum: SESSION_KINDS, enumName: 'session_kind' })
  kind: SessionKind;

  @Column({ type: 'integer', nullable: true })
  durationMinutes: number | null;

  @Column({ type: 'uuid' })
  authorId: string;

  @ManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'author_id', foreignKeyConstraintName: 'case_session_author_fk' })
  author?: Relation<User>;

  /** Free text, encrypted; null once anonymised. */
  @Column({ type: 'text', nullable: true })
  noteEnc: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
