import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { Organisation } from '../organisations/organisation.entity.js';
import { User } from '../users/user.entity.js';

export const IMPORT_STATUSES = ['checked', 'running', 'done', 'failed', 'undone', 'discarded'] as const;
export type ImportStatus = (typeof IMPORT_STATUSES)[number];

export interface ImportCounts {
  persons: number;
  cases: number;
  needs: number;
  sessions: number;
  deliveries: number;
}

/** What a dry run found: rows read, and what the import would write. */
export interface ImportSummary {
  rows: number;
  valid: number;
  errors: number;
  duplicatesExisting: number;
  duplicatesInSheet: number;
  toImport: number;
  wouldCreate: ImportCounts;
}

/**
 * One upload of a unit's register, from its dry run to its import (and undo). The state lives here so
 * an import resumes after a restart: the sheet (encrypted, until the import ends), the mapping, and
 * the last sheet row written (`rowsDone`).
 */
@Entity('import_batch')
@Index('import_batch_unit_created_idx', ['unitId', 'createdAt'])
@Index('import_batch_running_idx', ['status'], { where: "status = 'running'" })
export class ImportBatch {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'import_batch_pk' })
  id: string;

  @Column({ type: 'uuid' })
  unitId: string;

  @ManyToOne(() => Organisation, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'unit_id', foreignKeyConstraintName: 'import_batch_unit_fk' })
  unit?: Relation<Organisation>;

  @Column({ type: 'uuid' })
  createdById: string;

  @ManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'created_by_id', foreignKeyConstraintName: 'import_batch_created_by_fk' })
  createdBy?: Relation<User>;

  /** Who holds the imported cases. */
  @Column({ type: 'uuid' })
  counsellorId: string;

  @ManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'counsellor_id', foreignKeyConstraintName: 'import_batch_counsellor_fk' })
  counsellor?: Relation<User>;

  /** The unit's case-code prefix when the sheet was checked (the background import has no caller to read it as). */
  @Column({ type: 'varchar', length: 10 })
  unitCode: string;

  @Column({ type: 'varchar', length: 12 })
  status: ImportStatus;

  @Column({ type: 'varchar', length: 8 })
  format: 'xlsx' | 'csv';

  @Column({ type: 'varchar', length: 16, nullable: true })
  encoding: string | null;

  @Column({ type: 'integer' })
  headerRow: number;

  /** Column index (0 = A) → field, as applied. */
  @Column({ type: 'jsonb' })
  columns: Record<string, string>;

  /** The header row's titles (JSON array), encrypted like the sheet: they are the sheet's text. */
  @Column({ type: 'text' })
  headersEnc: string;

  /** Rows that are likely duplicates: skipped (default) or imported anyway. */
  @Column({ type: 'boolean', default: false })
  importDuplicates: boolean;

  /** The uploaded sheet, encrypted with the field cipher; cleared when the import ends or the batch is discarded. */
  @Column({ type: 'text', nullable: true })
  fileEnc: string | null;

  @Column({ type: 'jsonb' })
  summary: ImportSummary;

  /** Case-number counters of the unit before the import (year → last number), to give numbers back on undo. */
  @Column({ type: 'jsonb', nullable: true })
  countersBefore: Record<string, number> | null;

  /** Last sheet row written; the import resumes after it. */
  @Column({ type: 'integer', default: 0 })
  rowsDone: number;

  @Column({ type: 'jsonb', nullable: true })
  imported: ImportCounts | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  startedAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  finishedAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  undoUntil: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  undoneAt: Date | null;
}

/** A problem of one row (an error that keeps it out, or a duplicate warning), by field; never the value. */
@Entity('import_issue')
@Index('import_issue_batch_row_idx', ['batchId', 'row'])
export class ImportIssue {
  @PrimaryGeneratedColumn('increment', { primaryKeyConstraintName: 'import_issue_pk' })
  id: number;

  @Column({ type: 'uuid' })
  batchId: string;

  @ManyToOne(() => ImportBatch, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'batch_id', foreignKeyConstraintName: 'import_issue_batch_fk' })
  batch?: Relation<ImportBatch>;

  @Column({ type: 'integer' })
  row: number;

  /** 0 = column A; null for a whole-row issue. */
  @Column({ type: 'integer', nullable: true })
  col: number | null;

  @Column({ type: 'varchar', length: 24, nullable: true })
  field: string | null;

  @Column({ type: 'varchar', length: 32 })
  code: string;

  /** The existing case it duplicates (codes stand in for persons everywhere). */
  @Column({ type: 'varchar', length: 24, nullable: true })
  caseCode: string | null;

  /** The earlier row of the sheet it duplicates. */
  @Column({ type: 'integer', nullable: true })
  otherRow: number | null;
}

/** A case written by an import (what undo removes). */
@Entity('import_batch_case')
export class ImportBatchCase {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'import_batch_case_pk' })
  batchId: string;

  @ManyToOne(() => ImportBatch, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'batch_id', foreignKeyConstraintName: 'import_batch_case_batch_fk' })
  batch?: Relation<ImportBatch>;

  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'import_batch_case_pk' })
  caseId: string;

  @Column({ type: 'uuid' })
  personId: string;

  @Column({ type: 'varchar', length: 24 })
  code: string;

  @Column({ type: 'integer' })
  row: number;
}

/** The column mapping a unit last used (keyed hash of the folded title → field), offered again at its next upload. */
@Entity('import_mapping')
export class ImportMapping {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'import_mapping_pk' })
  unitId: string;

  @ManyToOne(() => Organisation, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'unit_id', foreignKeyConstraintName: 'import_mapping_unit_fk' })
  unit?: Relation<Organisation>;

  @Column({ type: 'jsonb' })
  headers: Record<string, string>;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  updatedAt: Date;
}
