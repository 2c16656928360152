import { Injectable } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validate, type ValidationError } from 'class-validator';
import type { AppAbility } from '../authorization/ability.factory.js';
import type { Actor } from '../authorization/actor.js';
import type { FieldError } from '../common/domain-error.js';
import { TransactionHost } from '../database/transaction.js';
import { DirectorySearchRepository } from './directory-search.repository.js';
import { DirectoryRepository } from './directory.repository.js';
import { DirectoryErrors } from './directory.errors.js';
import { DirectoryService, type PreparedWrite } from './directory.service.js';
import { hsdsField, serviceFromHsds, serviceJson } from './hsds.mapper.js';
import { CreateServiceDto } from './dto/service.dto.js';

export interface ImportError {
  record: number;
  id?: string;
  field: string;
  message: string;
}

function flatten(errors: ValidationError[], prefix = ''): FieldError[] {
  return errors.flatMap((e) => {
    const field = prefix ? `${prefix}.${e.property}` : e.property;
    return Object.values(e.constraints ?? {})
      .map((message) => ({ field, message }))
      .concat(flatten(e.children ?? [], field));
  });
}

/**
 * HSDS JSON import and export, one service per line (NDJSON). An import is all or nothing: every
 * record is validated first (shape, vocabularies, places, organisation, caller's reach) and the
 * report lists every error with its record (line) and HSDS field; only a clean file is written,
 * in one transaction, as an upsert by id.
 */
@Injectable()
export class DirectoryImportService {
  constructor(
    private readonly tx: TransactionHost,
    private readonly directory: DirectoryRepository,
    private readonly search: DirectorySearchRepository,
    private readonly services: DirectoryService,
  ) {}

  async import(ability: AppAbility, actor: Actor, body: string): Promise<{ created: number; updated: number; ids: string[] }> {
    const lines = body.split(/\r?\n/).map((l, i) => ({ line: i + 1, text: l.trim() })).filter((l) => l.text);
    if (!lines.length) throw DirectoryErrors.importEmpty();
    const errors: ImportError[] = [];
    const ready: Array<{ prepared: PreparedWrite; existed: boolean }> = [];
    const seen = new Set<string>();
    const seenParts = new Set<string>();
    for (const { line, text } of lines) {
      let record: Record<string, unknown>;
      try {
        record = JSON.parse(text);
        if (!record || typeof record !== 'object' || Array.isArray(record)) throw new Error();
      } catch {
        errors.push({ record: line, field: '(record)', message: 'not a JSON object' });
        continue;
      }
      const id = typeof record.id === 'string' ? record.id : undefined;
      const report = (e: FieldError) => errors.push({ record: line, id, field: hsdsField(e.field), message: e.message });
      if (!id) {
        report({ field: 'id', message: 'id is required (imports upsert by id)' });
        continue;
      }
      if (seen.has(id)) report({ field: 'id', message: 'the same id appears twice in the file' });
      seen.add(id);
      const dto = plainToInstance(CreateServiceDto, serviceFromHsds(record));
      const shape = flatten(await validate(dto, { whitelist: true, forbidNonWhitelisted: true }));
      shape.forEach(report);
      if (shape.length) continue;
      const existing = await this.directory.findById(id);
      const found: FieldError[] = [];
      if (existing) {
        const inScope = await this.directory.findInScope(this.services.scope(ability, 'update'), id);
        if (!inScope || !this.services.manages(ability, existing)) found.push({ field: 'id', message: 'a service with this id exists and you may not change it' });
        else if (existing.organisationId !== dto.organisationId) found.push({ field: 'organisationId', message: 'a service cannot move to another organisation' });
      }
      if (found.length) {
        found.forEach(report);
        continue;
      }
      const prepared = await this.services.prepare(ability, dto, existing, found);
      for (const [key, rows] of Object.entries(prepared.parts) as Array<[string, Array<{ id?: string }>]>) {
        rows.forEach((r, i) => {
          if (r.id && seenParts.has(r.id)) found.push({ field: `${key}.${i}.id`, message: 'the same id appears twice in the file' });
          if (r.id) seenParts.add(r.id);
        });
      }
      found.forEach(report);
      if (!found.length) ready.push({ prepared, existed: !!existing });
    }
    if (errors.length) throw DirectoryErrors.importInvalid(errors);
    const ids = await this.tx.run(async () => {
      const out: string[] = [];
      for (const r of ready) out.push(await this.services.write(r.prepared, actor.userId));
      return out;
    });
    const updated = ready.filter((r) => r.existed).length;
    return { created: ready.length - updated, updated, ids };
  }

  /** Every service the caller may manage, as HSDS JSON lines (with focal points and deadlines). */
  async *export(ability: AppAbility, actor: Actor): AsyncGenerator<string> {
    const scope = this.services.scope(ability, 'update');
    for (let offset = 0; ; offset += 200) {
      const { hits } = await this.search.search(scope, {}, { offset, limit: 200 });
      if (!hits.length) return;
      for (const g of await this.directory.loadGraphs(hits.map((h) => h.id))) {
        yield JSON.stringify(serviceJson(g, { lang: actor.language, management: this.services.manages(ability, g.service) })) + '\n';
      }
      if (hits.length < 200) return;
    }
  }
}
