import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';
import { User } from './user.entity.js';

/** One-time token to set a password (invitation or reset); only its hash is stored. */
@Entity('user_token')
export class UserToken {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Index('user_token_user_idx')
  @Column({ type: 'uuid' })
  userId: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'user_token_user_fk' })
  user?: Relation<User>;

  @Column({ type: 'varchar', length: 20 })
  purpose: 'invite' | 'reset';

  @Column({ type: 'varchar', length: 64 })
  secretHash: string;

  @Column({ type: 'timestamptz' })
  expiresAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  usedAt: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
