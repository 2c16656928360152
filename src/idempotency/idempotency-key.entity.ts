import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';
import { User } from '../users/user.entity.js';

/**
 * One use of an `Idempotency-Key` header by one user: the hash of what was asked and the answer
 * given. The same key with the same request replays the answer; with another request it is refused.
 */
@Entity('idempotency_key')
@Index('idempotency_key_created_idx', ['createdAt'])
export class IdempotencyKey {
  @PrimaryColumn({ type: 'uuid' })
  actorId: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'actor_id', foreignKeyConstraintName: 'idempotency_key_actor_fk' })
  actor?: Relation<User>;

  @PrimaryColumn({ type: 'varchar', length: 200 })
  key: string;

  /** sha256 of the route and the canonical request body. */
  @Column({ type: 'char', length: 64 })
  requestHash: string;

  @Column({ type: 'integer', nullable: true })
  responseStatus: number | null;

  /** The id of what the request created: a replay rebuilds the answer from it (no response body at rest). */
  @Column({ type: 'varchar', length: 100, nullable: true })
  responseRef: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
