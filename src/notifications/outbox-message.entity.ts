import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export const OUTBOX_STATUSES = ['pending', 'sent', 'failed'] as const;
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number];

/**
 * An e-mail waiting to go out, written in the same transaction as the change that caused it, so a
 * mail server that is down loses nothing. Bodies carry references and links, never personal data.
 */
@Entity('outbox_message')
@Index('outbox_message_due_idx', ['nextAttemptAt'], { where: `status = 'pending'` })
@Index('outbox_message_created_idx', ['createdAt', 'id'])
export class OutboxMessage {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 254 })
  recipient: string;

  @Column({ type: 'varchar', length: 300 })
  subject: string;

  @Column({ type: 'text' })
  body: string;

  /** What kind of message (template name), for the admin view and tests. */
  @Column({ type: 'varchar', length: 60 })
  kind: string;

  /** Makes a message idempotent: the same key is enqueued once (reminders, escalations). */
  @Index('outbox_message_dedupe_uq', { unique: true, where: 'dedupe_key IS NOT NULL' })
  @Column({ type: 'varchar', length: 200, nullable: true })
  dedupeKey: string | null;

  @Column({ type: 'enum', enum: OUTBOX_STATUSES, enumName: 'outbox_status', default: 'pending' })
  status: OutboxStatus;

  @Column({ type: 'integer', default: 0 })
  attempts: number;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  nextAttemptAt: Date;

  /** The transport's error class/code of the last failure; never a message body. */
  @Column({ type: 'varchar', length: 300, nullable: true })
  lastError: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  sentAt: Date | null;

  /** The worker holding the current claim (see OutboxWorker); only it renews the lease or records a failure. */
  @Column({ type: 'uuid', nullable: true })
  claimToken: string | null;

  /** Retries stop here and it is `failed`: 72 h after an admin's retry; NULL: 72 h after it was written. */
  @Column({ type: 'timestamptz', nullable: true })
  giveUpAt: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
