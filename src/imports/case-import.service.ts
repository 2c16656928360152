import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { ForbiddenError, subject } from '@casl/ability';
import type { AppAbility } from '../authorization/ability.factory.js';
import type { Actor, Language } from '../authorization/actor.js';
import { scopeFor } from '../authorization/scope.js';
import { AuditService } from '../audit/audit.service.js';
import { CaseIntakeService } from '../cases/case-intake.service.js';
import { FieldCipher } from '../common/crypto/field-cipher.js';
import { DomainError } from '../common/domain-error.js';
import { OrganisationsService } from '../organisations/organisations.service.js';
import { UsersService } from '../users/users.service.js';
import { TransactionHost } from '../database/transaction.js';
import type { ImportBatch, ImportBatchCase, ImportCounts, ImportIssue, ImportSummary } from './import-batch.entity.js';
import { ISSUE_MESSAGES } from './import-messages.js';
import { ImportErrors } from './imports.errors.js';
import { ImportsRepository } from './imports.repository.js';
import { fieldLabel, type RegisterField } from './register-fields.js';
import { openRegister, parseMapping, type Column } from './register-sheet.js';
import { mapRow, WARNINGS, type IssueCode, type RegisterRow, type RowIssue } from './register-values.js';
import { readSheet, type Encoding } from './sheet-reader.js';
import { columnLetter, fold } from './text.js';
import type { CheckImportDto } from './dto/import.dto.js';
import { wallDateOf } from '../vocabulary/time-zone.js';
import type { ImportBatchListView, ImportBatchSummaryView, ImportBatchView } from './imports.views.js';

/** How long after an import its supervisor may still undo it. */
export const UNDO_WINDOW_DAYS = 7;
/** Rows per transaction of an import (and per duplicate look-up of a dry run). */
const CHUNK = 1000;
const ZERO: ImportCounts = { persons: 0, cases: 0, needs: 0, sessions: 0, deliveries: 0 };
const add = (a: ImportCounts, b: ImportCounts): ImportCounts => ({
  persons: a.persons + b.persons,
  cases: a.cases + b.cases,
  needs: a.needs + b.needs,
  sessions: a.sessions + b.sessions,
  deliveries: a.deliveries + b.deliveries,
});
const SCOPE = { unitId: 'b.unit_id' };

const countsOf = (r: RegisterRow): ImportCounts => ({
  persons: 1,
  cases: 1,
  needs: r.needs.length,
  sessions: r.sessionDates.length,
  deliveries: r.sessionDates.length + (r.livelihood ? 1 : 0),
});

/** Today in Morocco (a date in the sheet after it is in the future), not in UTC. */
const today = () => wallDateOf(new Date());
/** Thrown inside a chunk's transaction when another worker is already further on the same batch. */
class TakenOver extends Error {}

/**
 * Case-register imports: a dry run over the uploaded sheet (every row mapped and checked, likely
 * duplicates found through the blind indexes), then the import itself in chunks, each chunk one
 * transaction that also records how far it got, so a restart resumes it; a failure removes what
 * the batch wrote. The sheet is kept encrypted until the import ends, and never logged.
 */
@Injectable()
export class CaseImportService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger('imports');
  private readonly working = new Map<string, Promise<void>>();
  private stopping = false;
  /** Rows per transaction of an import (smaller in tests that interrupt one). */
  chunkRows = CHUNK;

  constructor(
    private readonly repo: ImportsRepository,
    private readonly intake: CaseIntakeService,
    private readonly cipher: FieldCipher,
    private readonly audit: AuditService,
    private readonly tx: TransactionHost,
    private readonly organisations: OrganisationsService,
    private readonly users: UsersService,
  ) {}

  /** Imports interrupted by a restart carry on. */
  async onApplicationBootstrap(): Promise<void> {
    this.stopping = false;
    for (const id of await this.repo.runningIds()) this.start(id);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    await Promise.allSettled([...this.working.values()]);
  }

  /** Uploads a sheet and checks it (the dry run). Nothing of the register is written yet. */
  async check(actor: Actor, ability: AppAbility, file: Buffer, dto: CheckImportDto): Promise<ImportBatchView> {
    const unitId = dto.unitId ?? actor.organisationId;
    if (!dto.unitId && actor.organisationType !== 'counselling_unit') throw ImportErrors.unitRequired();
    ForbiddenError.from(ability).throwUnlessCan('create', subject('Import', { unitId }) as never);
    // The unit and the counsellor, read as the caller may read them (a supervisor: their own unit and its staff).
    const unit = await orNull(this.organisations.get(ability, unitId));
    if (unit?.type !== 'counselling_unit') throw ImportErrors.unitRequired();
    const unitCode = unit.code;
    if (!unitCode) throw ImportErrors.unitHasNoCode();
    const counsellorId = dto.counsellorId ?? actor.userId;
    const counsellor = await orNull(this.users.get(ability, counsellorId));
    if (!counsellor || counsellor.organisationId !== unitId || counsellor.status !== 'active' || !counsellor.roles.some((r) => r === 'counsellor' || r === 'supervisor')) {
      throw ImportErrors.counsellorRequired();
    }
    const explicit = parseMapping(dto.mapping);

    const sheet = readSheet(file, dto.encoding);
    // The unit's own column titles are remembered by keyed hash: the titles themselves are never stored in clear.
    const remembered = await this.repo.mapping(unitId);
    const register = await openRegister(sheet.rows, (h) => remembered[this.titleKey(h)], explicit);

    return this.tx.run(async () => {
      const batch = await this.repo.insertBatch({
        unitId,
        createdById: actor.userId,
        counsellorId,
        unitCode,
        status: 'checked',
        format: sheet.format,
        encoding: sheet.encoding,
        headerRow: register.headerRow,
        columns: Object.fromEntries(register.columns.filter((c) => c.field).map((c) => [String(c.index), c.field!])),
        headersEnc: this.cipher.encrypt(JSON.stringify(register.columns.map((c) => c.header))),
        importDuplicates: dto.importDuplicates ?? false,
        fileEnc: this.cipher.encrypt(file.toString('base64')),
        summary: { rows: 0, valid: 0, errors: 0, duplicatesExisting: 0, duplicatesInSheet: 0, toImport: 0, wouldCreate: ZERO },
      });
      const summary = await this.dryRun(batch, register.rows, register.columns);
      await this.repo.move(batch.id, ['checked'], { status: 'checked', summary });
      // Remember the columns by their titles for this unit's next upload.
      await this.repo.saveMapping(unitId, Object.fromEntries(register.columns.filter((c) => c.field && c.header).map((c) => [this.titleKey(c.header), c.field!])));
      await this.audit.record(actor, { action: 'create', entity: 'import', entityId: batch.id, organisationId: unitId });
      return this.view({ ...batch, summary }, actor.language, register.columns);
    });
  }

  /** Every row mapped and checked; issues written as it goes (memory holds one chunk and the sheet's index hashes). */
  private async dryRun(batch: ImportBatch, rows: AsyncIterable<{ number: number; cells: Partial<Record<RegisterField, unknown>> }>, columns: Column[]): Promise<ImportSummary> {
    const colOf = new Map(columns.filter((c) => c.field).map((c) => [c.field!, c.index]));
    const seen = new Map<string, number>();
    const s: ImportSummary = { rows: 0, valid: 0, errors: 0, duplicatesExisting: 0, duplicatesInSheet: 0, toImport: 0, wouldCreate: ZERO };
    const now = today();
    let chunk: Array<{ number: number; row: RegisterRow; ix: ReturnType<CaseIntakeService['indexes']>; sheetDup: number | null }> = [];
    const issueRow = (number: number, i: RowIssue, extra: Partial<ImportIssue> = {}): Omit<ImportIssue, 'id' | 'batch'> => ({
      batchId: batch.id,
      row: number,
      col: i.field ? (colOf.get(i.field) ?? null) : null,
      field: i.field,
      code: i.code,
      caseCode: null,
      otherRow: null,
      ...extra,
    });
    const flush = async () => {
      const matches = await this.intake.matches(batch.unitId, chunk.map((c) => c.ix));
      const issues: Array<Omit<ImportIssue, 'id' | 'batch'>> = [];
      chunk.forEach((c, k) => {
        const existing = matches[k]!;
        for (const m of existing.slice(0, 3)) issues.push(issueRow(c.number, { field: null, code: 'duplicate_existing' }, { caseCode: m.code }));
        if (c.sheetDup) issues.push(issueRow(c.number, { field: null, code: 'duplicate_in_sheet' }, { otherRow: c.sheetDup }));
        if (existing.length) s.duplicatesExisting++;
        if (c.sheetDup) s.duplicatesInSheet++;
        if (batch.importDuplicates || (!existing.length && !c.sheetDup)) {
          s.toImport++;
          s.wouldCreate = add(s.wouldCreate, countsOf(c.row));
        }
      });
      await this.repo.insertIssues(issues);
      chunk = [];
    };
    const errors: Array<Omit<ImportIssue, 'id' | 'batch'>> = [];
    for await (const r of rows) {
      s.rows++;
      const { row, issues } = mapRow(r.cells as never, now);
      if (!row) {
        s.errors++;
        errors.push(...issues.map((i) => issueRow(r.number, i)));
        if (errors.length >= CHUNK) await this.repo.insertIssues(errors.splice(0));
        continue;
      }
      s.valid++;
      const ix = this.intake.indexes(row.identity, row.birthDate);
      let sheetDup: number | null = null;
      for (const k of [ix.phoneBi && `p${ix.phoneBi}`, ix.documentBi && `d${ix.documentBi}`, ix.nameBirthBi && `n${ix.nameBirthBi}`]) {
        if (!k) continue;
        sheetDup ??= seen.get(k) ?? null;
        if (!seen.has(k)) seen.set(k, r.number);
      }
      chunk.push({ number: r.number, row, ix, sheetDup });
      if (chunk.length >= CHUNK) await flush();
    }
    await flush();
    await this.repo.insertIssues(errors);
    return s;
  }

  /** Starts the import of a checked batch; it runs in the background (see `progress`). */
  async run(actor: Actor, ability: AppAbility, id: string): Promise<ImportBatchView> {
    const batch = await this.load(ability, 'update', id);
    const counters = await this.intake.counters(batch.unitId);
    const moved = await this.tx.run(async () => {
      if (!(await this.repo.move(id, ['checked'], { status: 'running', startedAt: new Date(), countersBefore: counters, imported: ZERO }))) return false;
      await this.audit.record(actor, { action: 'import', entity: 'import', entityId: id, organisationId: batch.unitId });
      return true;
    });
    if (!moved) throw ImportErrors.notChecked();
    this.start(id);
    return this.get(actor, ability, id);
  }

  /** Waits for the background work on a batch (tests, shutdown). */
  async settled(id: string): Promise<void> {
    await this.working.get(id);
  }

  private start(id: string): void {
    if (this.working.has(id)) return;
    const work = this.process(id)
      .catch((e: unknown) => this.log.error({ batch: id, error: e instanceof Error ? e.name : 'unknown' }, 'import failed'))
      .finally(() => this.working.delete(id));
    this.working.set(id, work);
  }

  private async process(id: string): Promise<void> {
    const batch = (await this.repo.findBatch(id, null))!;
    if (batch.status !== 'running' || !batch.fileEnc) return;
    try {
      const file = Buffer.from(this.cipher.decrypt(batch.fileEnc), 'base64');
      const skip = new Set<number>();
      for (let from = 1; ; ) {
        const issues = await this.repo.issues(id, from, 10_000);
        for (const i of issues) if (!WARNINGS.includes(i.code as IssueCode) || !batch.importDuplicates) skip.add(i.row);
        if (issues.length < 10_000) break;
        from = issues[issues.length - 1]!.row + 1;
      }
      const register = await openRegister(readSheet(file, (batch.encoding as Encoding | null) ?? undefined).rows, () => undefined, {}, { headerRow: batch.headerRow, columns: batch.columns });
      const actor = { userId: batch.createdById } as Actor;
      let imported = batch.imported ?? ZERO;
      let chunk: Array<{ number: number; row: RegisterRow }> = [];
      let lastRow = batch.rowsDone;
      let written = batch.rowsDone; // rows_done as this worker last wrote it
      const now = today();
      const flush = async () => {
        if (!chunk.length) return;
        const rows = chunk;
        chunk = [];
        await this.tx.run(async () => {
          const { created, counts } = await this.intake.write(actor, batch.unitId, batch.unitCode, batch.counsellorId, rows.map((r) => r.row));
          await this.repo.addCases(created.map((c, k) => ({ batchId: id, ...c, row: rows[k]!.number }) as ImportBatchCase));
          // Another worker wrote these rows first: this chunk is rolled back, and this worker stops.
          if (!(await this.repo.progress(id, written, lastRow, add(imported, counts)))) throw new TakenOver();
          imported = add(imported, counts);
        });
        written = lastRow;
      };
      for await (const r of register.rows) {
        if (this.stopping) return; // resumes at the next start from rowsDone
        if (r.number <= batch.rowsDone) continue;
        lastRow = r.number;
        if (skip.has(r.number)) continue;
        const { row } = mapRow(r.cells as never, now);
        if (row) chunk.push({ number: r.number, row });
        if (chunk.length >= this.chunkRows) await flush();
      }
      await flush();
      await this.tx.run(async () => {
        const undoUntil = new Date(Date.now() + UNDO_WINDOW_DAYS * 86_400_000);
        await this.repo.move(id, ['running'], { status: 'done', fileEnc: null, finishedAt: new Date(), undoUntil, rowsDone: lastRow, imported }, written);
      });
    } catch (e) {
      if (e instanceof TakenOver) {
        this.log.log({ batch: id }, 'import carried on by another worker');
        return;
      }
      // Nothing half-written: what the batch wrote goes, then the batch says it failed.
      await this.tx.run(async () => {
        const fresh = (await this.repo.findBatch(id, null))!;
        const cases = await this.repo.cases(id);
        await this.intake.remove(batch.unitId, cases, fresh.imported ?? ZERO, fresh.countersBefore ?? {}, true);
        await this.repo.forgetCases(id);
        await this.repo.move(id, ['running'], { status: 'failed', fileEnc: null, finishedAt: new Date() });
      });
      throw e;
    }
  }

  /** Removes an import as a whole, within its window, if nobody has worked on its cases since. The audit stays. */
  async undo(actor: Actor, ability: AppAbility, id: string): Promise<ImportBatchView> {
    const batch = await this.load(ability, 'delete', id);
    if (batch.status !== 'done' || !batch.undoUntil || batch.undoUntil < new Date()) throw ImportErrors.notUndoable();
    await this.tx.run(async () => {
      if (!(await this.repo.move(id, ['done'], { status: 'undone', undoneAt: new Date() }))) throw ImportErrors.notUndoable();
      const cases = await this.repo.cases(id);
      if (!(await this.intake.remove(batch.unitId, cases, batch.imported ?? ZERO, batch.countersBefore ?? {}))) throw ImportErrors.changedSince();
      await this.repo.forgetCases(id);
      await this.audit.record(actor, { action: 'undo', entity: 'import', entityId: id, organisationId: batch.unitId });
    });
    return this.get(actor, ability, id);
  }

  /**
   * Checks a checked batch's sheet again with another column mapping (column letter → field, ""
   * to ignore): the review page's mapping step. The new batch replaces the old one, which is discarded.
   */
  async remap(actor: Actor, ability: AppAbility, id: string, mapping: Record<string, string>): Promise<ImportBatchView> {
    const batch = await this.load(ability, 'update', id);
    if (batch.status !== 'checked' || !batch.fileEnc) throw ImportErrors.notChecked();
    const file = Buffer.from(this.cipher.decrypt(batch.fileEnc), 'base64');
    const next = await this.check(actor, ability, file, {
      unitId: batch.unitId,
      counsellorId: batch.counsellorId,
      encoding: (batch.encoding as Encoding | null) ?? undefined,
      importDuplicates: batch.importDuplicates,
      mapping: JSON.stringify(mapping),
    });
    await this.repo.move(id, ['checked'], { status: 'discarded', fileEnc: null });
    return next;
  }

  /** Drops a checked batch without importing it (and its copy of the sheet). */
  async discard(actor: Actor, ability: AppAbility, id: string): Promise<ImportBatchView> {
    const batch = await this.load(ability, 'delete', id);
    if (!(await this.repo.move(id, ['checked'], { status: 'discarded', fileEnc: null }))) throw ImportErrors.notChecked();
    await this.audit.record(actor, { action: 'update', entity: 'import', entityId: id, organisationId: batch.unitId });
    return this.get(actor, ability, id);
  }

  async get(actor: Actor, ability: AppAbility, id: string, fromRow = 1, lang: Language = actor.language): Promise<ImportBatchView> {
    const batch = await this.load(ability, 'read', id);
    return this.view(batch, lang, null, fromRow);
  }

  async list(ability: AppAbility): Promise<ImportBatchListView> {
    ForbiddenError.from(ability).throwUnlessCan('read', 'Import');
    const items = await this.repo.listBatches(scopeFor(ability, 'read', 'Import', SCOPE));
    return { items: items.map((b) => this.summaryView(b)) };
  }

  private async load(ability: AppAbility, action: 'read' | 'update' | 'delete', id: string): Promise<ImportBatch> {
    const batch = await this.repo.findBatch(id, scopeFor(ability, action, 'Import', SCOPE));
    if (!batch) throw ImportErrors.notFound();
    return batch;
  }

  private titleKey(header: string): string {
    return this.cipher.blindIndex(header, fold)!;
  }

  private summaryView(b: ImportBatch): ImportBatchSummaryView {
    const total = b.summary.toImport;
    const done = b.imported?.cases ?? 0;
    return {
      id: b.id,
      unitId: b.unitId,
      status: b.status,
      format: b.format,
      encoding: b.encoding,
      headerRow: b.headerRow,
      importDuplicates: b.importDuplicates,
      summary: b.summary,
      imported: b.imported,
      progress: { rowsDone: b.rowsDone, casesWritten: done, casesToWrite: total, percent: total ? Math.floor((100 * done) / total) : b.status === 'done' ? 100 : 0 },
      createdAt: b.createdAt,
      startedAt: b.startedAt,
      finishedAt: b.finishedAt,
      undoUntil: b.undoUntil,
      undoneAt: b.undoneAt,
    };
  }

  private async view(b: ImportBatch, lang: Language, columns: Column[] | null, fromRow = 1): Promise<ImportBatchView> {
    const issues = await this.repo.issues(b.id, fromRow, 200);
    const letter = (i: number | null) => (i === null ? null : columns?.[i]?.letter ?? colLetter(i));
    return {
      ...this.summaryView(b),
      columns: (columns ?? (JSON.parse(this.cipher.decrypt(b.headersEnc)) as string[]).map((header, index) => ({ letter: colLetter(index), header, field: b.columns[String(index)] ?? null }))).map(
        (c) => ({ letter: c.letter, header: c.header, field: c.field as RegisterField | null }),
      ),
      issues: issues.map((i) => ({
        row: i.row,
        column: letter(i.col),
        field: i.field,
        fieldLabel: i.field ? fieldLabel(i.field as RegisterField, lang) : null,
        code: i.code as IssueCode,
        kind: WARNINGS.includes(i.code as IssueCode) ? 'warning' : 'error',
        message: ISSUE_MESSAGES[i.code as IssueCode]?.[lang] ?? i.code,
        caseCode: i.caseCode,
        otherRow: i.otherRow,
      })),
      nextIssuesFromRow: issues.length === 200 ? issues[199]!.row + 1 : null,
    };
  }
}

const colLetter = (i: number) => columnLetter(i + 1);

/** A record the caller cannot see is as good as missing here. */
const orNull = <T>(p: Promise<T>): Promise<T | null> => p.catch((e: unknown) => (e instanceof DomainError && e.status === 404 ? null : Promise.reject(e)));
