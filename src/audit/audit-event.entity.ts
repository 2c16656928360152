import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export const AUDIT_ACTIONS = ['list', 'read', 'create', 'update', 'export', 'share', 'anonymise', 'withdraw', 'assign', 'transition', 'import', 'undo'] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** `audit`: the trail itself, when someone exports it; `import`: a register import batch. */
export const AUDIT_ENTITIES = ['case', 'person', 'incident', 'note', 'need', 'consent', 'task', 'delivery', 'referral', 'audit', 'import'] as const;
export type AuditEntity = (typeof AUDIT_ENTITIES)[number];

/**
 * One row per read or write of sensitive data. Append-only: a trigger (see the migration) refuses
 * UPDATE, DELETE and TRUNCATE for every role, superusers included. No foreign keys, so the trail
 * outlives what it talks about (anonymised persons, disabled users).
 */
@Entity('audit_event')
@Index('audit_event_created_idx', ['createdAt', 'id'])
@Index('audit_event_org_created_idx', ['organisationId', 'createdAt', 'id'])
@Index('audit_event_entity_idx', ['entity', 'entityId'])
export class AuditEvent {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** Who: null for the system (retention job, key rotation). */
  @Column({ type: 'uuid', nullable: true })
  actorId: string | null;

  /** Whose data: the counselling unit that holds the record (the scope of a supervisor's trail). */
  @Column({ type: 'uuid', nullable: true })
  organisationId: string | null;

  @Column({ type: 'varchar', length: 20 })
  action: AuditAction;

  @Column({ type: 'varchar', length: 20 })
  entity: AuditEntity;

  @Column({ type: 'uuid', nullable: true })
  entityId: string | null;

  /** Method and path (no query string), or the job's name. */
  @Column({ type: 'varchar', length: 300, nullable: true })
  route: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  ip: string | null;

  @Column({ type: 'varchar', length: 100, nullable: true })
  correlationId: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
