import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';
import { User } from '../users/user.entity.js';

/**
 * A refresh token: `<id>.<secret>` to the client, only sha256(secret) here. Rotation spends the
 * token and issues the next one in the same family; presenting a spent one revokes the family
 * (except within a few seconds by the browser session that spent it, see TokensService.rotate).
 */
@Entity('refresh_token')
export class RefreshToken {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Index('refresh_token_family_idx')
  @Column({ type: 'uuid' })
  familyId: string;

  @Index('refresh_token_user_idx')
  @Column({ type: 'uuid' })
  userId: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'refresh_token_user_fk' })
  user?: Relation<User>;

  @Column({ type: 'varchar', length: 64 })
  secretHash: string;

  @Column({ type: 'timestamptz' })
  expiresAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  usedAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  revokedAt: Date | null;

  /** sha256 of the browser-session id (pages) that spent the token: only that session gets the grace window. */
  @Column({ type: 'varchar', length: 64, nullable: true })
  spentBySession: string | null;

  /** The account's token version at issue: rotation refuses a token of an older version (sessions ended). */
  @Column({ type: 'integer', default: 0 })
  tokenVersion: number;

  /** Whether the session behind this family passed the second factor. */
  @Column({ type: 'boolean', default: false })
  mfa: boolean;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
