import { Injectable } from '@nestjs/common';
import type { SqlScope } from '../authorization/scope.js';
import { TransactionHost } from '../database/transaction.js';
import { ImportBatch, ImportBatchCase, ImportIssue, ImportMapping, type ImportCounts, type ImportStatus } from './import-batch.entity.js';

@Injectable()
export class ImportsRepository {
  constructor(private readonly tx: TransactionHost) {}

  private get batches() {
    return this.tx.manager.getRepository(ImportBatch);
  }

  insertBatch(b: Partial<ImportBatch>): Promise<ImportBatch> {
    return this.batches.save(this.batches.create(b));
  }

  /** A batch within the caller's scope (alias `b`); null scope: the system (the background import). */
  findBatch(id: string, scope: SqlScope | null): Promise<ImportBatch | null> {
    const qb = this.batches.createQueryBuilder('b').where('b.id = :id', { id });
    if (scope) qb.andWhere(scope.sql, scope.params);
    return qb.getOne();
  }

  /** Without the sheet (lists and progress). */
  listBatches(scope: SqlScope, limit = 20): Promise<ImportBatch[]> {
    return this.batches
      .createQueryBuilder('b')
      .select()
      .where(scope.sql, scope.params)
      .orderBy('b.created_at', 'DESC')
      .addOrderBy('b.id', 'DESC')
      .limit(limit)
      .getMany()
      .then((bs) => bs.map((b) => ({ ...b, fileEnc: null })));
  }

  /** Moves a batch from one status to another; false when it was not in `from` (someone else moved it). */
  /** Moves a batch from one of `from` (and, when given, from exactly `rowsDoneWas` rows done); false when it was not there. */
  async move(id: string, from: ImportStatus[], patch: Partial<ImportBatch> & { status: ImportStatus }, rowsDoneWas?: number): Promise<boolean> {
    const q = this.batches.createQueryBuilder().update().set(patch).where('id = :id AND status IN (:...from)', { id, from });
    if (rowsDoneWas !== undefined) q.andWhere('rows_done = :rowsDoneWas', { rowsDoneWas });
    return (await q.execute()).affected === 1;
  }

  /**
   * Records how far a running batch got, if it is where this worker left it (`rowsDoneWas`): a second
   * worker on the same batch (two instances resuming it after a restart) finds it moved on and stops.
   */
  async progress(id: string, rowsDoneWas: number, rowsDone: number, imported: ImportCounts): Promise<boolean> {
    const r = await this.batches
      .createQueryBuilder()
      .update()
      .set({ rowsDone, imported })
      .where(`id = :id AND status = 'running' AND rows_done = :rowsDoneWas`, { id, rowsDoneWas })
      .execute();
    return r.affected === 1;
  }

  runningIds(): Promise<string[]> {
    return this.batches.find({ select: { id: true }, where: { status: 'running' } }).then((r) => r.map((b) => b.id));
  }

  async insertIssues(issues: Array<Omit<ImportIssue, 'id' | 'batch'>>): Promise<void> {
    if (!issues.length) return;
    const col = <K extends keyof (typeof issues)[number]>(k: K) => issues.map((i) => i[k]);
    await this.tx.manager.query(
      `INSERT INTO import_issue (batch_id, row, col, field, code, case_code, other_row)
       SELECT * FROM unnest($1::uuid[], $2::int[], $3::int[], $4::varchar[], $5::varchar[], $6::varchar[], $7::int[])`,
      [col('batchId'), col('row'), col('col'), col('field'), col('code'), col('caseCode'), col('otherRow')],
    );
  }

  /** Issues of a batch in sheet order, from a row on (the page shows a window of them). */
  issues(batchId: string, fromRow: number, limit: number): Promise<ImportIssue[]> {
    return this.tx.manager
      .getRepository(ImportIssue)
      .createQueryBuilder('i')
      .where('i.batch_id = :batchId AND i.row >= :fromRow', { batchId, fromRow })
      .orderBy('i.row')
      .addOrderBy('i.id')
      .limit(limit)
      .getMany();
  }

  async addCases(rows: ImportBatchCase[]): Promise<void> {
    if (!rows.length) return;
    await this.tx.manager.query(
      `INSERT INTO import_batch_case (batch_id, case_id, person_id, code, row) SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::varchar[], $5::int[])`,
      [rows.map((r) => r.batchId), rows.map((r) => r.caseId), rows.map((r) => r.personId), rows.map((r) => r.code), rows.map((r) => r.row)],
    );
  }

  cases(batchId: string): Promise<ImportBatchCase[]> {
    return this.tx.manager.getRepository(ImportBatchCase).find({ where: { batchId }, order: { row: 'ASC' } });
  }

  async forgetCases(batchId: string): Promise<void> {
    await this.tx.manager.getRepository(ImportBatchCase).delete({ batchId });
  }

  async mapping(unitId: string): Promise<Record<string, string>> {
    return (await this.tx.manager.getRepository(ImportMapping).findOneBy({ unitId }))?.headers ?? {};
  }

  async saveMapping(unitId: string, headers: Record<string, string>): Promise<void> {
    await this.tx.manager.query(
      `INSERT INTO import_mapping (unit_id, headers, updated_at) VALUES ($1, $2, now())
       ON CONFLICT (unit_id) DO UPDATE SET headers = import_mapping.headers || EXCLUDED.headers, updated_at = now()`,
      [unitId, JSON.stringify(headers)],
    );
  }
}
