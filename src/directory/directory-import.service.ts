import { Injectable } from '@nestjs/common';
import { subject } from '@casl/ability';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import type { AppAbility } from '../authorization/ability.factory.js';
import type { Actor } from '../authorization/actor.js';
import type { FieldError } from '../common/domain-error.js';
import { flattenValidationErrors } from '../common/validation.js';
import { OrganisationsRepository } from '../organisations/organisations.repository.js';
import { TransactionHost } from '../database/transaction.js';
import { DirectorySearchRepository } from './directory-search.repository.js';
import { DirectoryRepository } from './directory.repository.js';
import { DirectoryErrors } from './directory.errors.js';
import { DirectoryService, type PreparedWrite } from './directory.service.js';
import { frArOf, hsdsField, serviceFromHsds, serviceJson } from './hsds.mapper.js';
import { CreateServiceDto } from './dto/service.dto.js';
import type { DirectoryImportView } from './directory.views.js';

export interface ImportError {
  record: number;
  id?: string;
  field: string;
  message: string;
}

/** What an import did, or would do (dry run), or why it may not. */
export interface UpsertReport {
  dryRun: boolean;
  created: number;
  updated: number;
  ids: string[];
  services: Array<{ record: number; id: string; action: 'create' | 'update' }>;
  organisationsCreated: number;
  organisationsMatched: number;
  errors: ImportError[];
}

/** Carries the report out of a transaction that must not commit (a dry run, or errors). */
class RolledBack extends Error {
  constructor(readonly report: UpsertReport) {
    super('rolled back');
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * HSDS JSON import and export, one service per line (NDJSON). An import is all or nothing: every
 * record is validated (shape, vocabularies, places, organisation, caller's reach) and the report
 * lists every error with its record (line) and HSDS field; only a clean file is written, as an
 * upsert by id. An export imports back into another database as the same services (ids, texts,
 * locations, schedules, taxonomy): organisations are matched by id, identifier or name, or created.
 */
@Injectable()
export class DirectoryImportService {
  constructor(
    private readonly tx: TransactionHost,
    private readonly directory: DirectoryRepository,
    private readonly search: DirectorySearchRepository,
    private readonly services: DirectoryService,
    private readonly organisations: OrganisationsRepository,
  ) {}

  /** The NDJSON import: all or nothing; a file with any error answers every error and writes nothing. */
  async import(ability: AppAbility, actor: Actor, body: string): Promise<DirectoryImportView> {
    const lines = body.split(/\r?\n/).map((l, i) => ({ line: i + 1, text: l.trim() })).filter((l) => l.text);
    if (!lines.length) throw DirectoryErrors.importEmpty();
    const records = lines.map(({ line, text }) => {
      try {
        const value = JSON.parse(text) as unknown;
        return { record: line, value: value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null };
      } catch {
        return { record: line, value: null };
      }
    });
    const r = await this.upsert(ability, actor, records, { dryRun: false });
    if (r.errors.length) throw DirectoryErrors.importInvalid(r.errors);
    return { created: r.created, updated: r.updated, ids: r.ids, organisationsCreated: r.organisationsCreated };
  }

  /**
   * HSDS service objects, all or nothing, in one transaction: organisations the records name but
   * this database lacks are created first (when the caller may), then every record is validated,
   * and only a clean set is written. A dry run, or any error, rolls the whole back (organisations
   * too) and answers what would have been done.
   */
  async upsert(ability: AppAbility, actor: Actor, records: Array<{ record: number; value: Record<string, unknown> | null }>, opts: { dryRun: boolean }): Promise<UpsertReport> {
    try {
      return await this.tx.run(async () => {
        const report = await this.checkAndWrite(ability, actor, records, opts.dryRun);
        if (opts.dryRun || report.errors.length) throw new RolledBack(report);
        return report;
      });
    } catch (e) {
      if (e instanceof RolledBack) return e.report;
      throw e;
    }
  }

  private async checkAndWrite(ability: AppAbility, actor: Actor, records: Array<{ record: number; value: Record<string, unknown> | null }>, dryRun: boolean): Promise<UpsertReport> {
    const errors: ImportError[] = [];
    const ready: Array<{ prepared: PreparedWrite; existed: boolean; record: number; id: string }> = [];
    const seen = new Set<string>();
    const seenParts = new Set<string>();
    const organisations = new Map<string, string | null>();
    let organisationsCreated = 0;
    for (const { record: line, value: record } of records) {
      if (!record) {
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
      const org = await this.organisationOf(ability, actor, record, organisations);
      if (org.created) organisationsCreated++;
      if (!org.id) {
        report({ field: 'organisationId', message: 'no organisation with this id, identifier or name in the region, and you may not create one' });
        continue;
      }
      const dto = plainToInstance(CreateServiceDto, { ...serviceFromHsds(record), organisationId: org.id });
      const shape = flattenValidationErrors(await validate(dto, { whitelist: true, forbidNonWhitelisted: true }));
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
      if (!found.length) ready.push({ prepared, existed: !!existing, record: line, id });
    }
    const ids: string[] = [];
    if (!errors.length && !dryRun) for (const r of ready) ids.push(await this.services.write(r.prepared, actor.userId));
    const updated = ready.filter((r) => r.existed).length;
    const found = [...organisations.values()].filter((v) => v !== null).length;
    return {
      dryRun,
      created: ready.length - updated,
      updated,
      ids: dryRun ? ready.map((r) => r.id) : ids,
      services: ready.map((r) => ({ record: r.record, id: r.id, action: r.existed ? ('update' as const) : ('create' as const) })),
      organisationsCreated,
      organisationsMatched: found - organisationsCreated,
      errors,
    };
  }

  /**
   * The record's organisation in this database: by `organization_id`; else a provider of the region
   * by one of `organization.organization_identifiers` (our organisation codes), then by name; else
   * created from the `organization` object — under the exported id, so an export imports back the
   * same — when the caller may create providers in that region. Decided once per organisation of the file.
   */
  private async organisationOf(ability: AppAbility, actor: Actor, record: Record<string, unknown>, decided: Map<string, string | null>): Promise<{ id: string | null; created: boolean }> {
    const exportedId = typeof record.organization_id === 'string' ? record.organization_id : null;
    const o = (record.organization && typeof record.organization === 'object' ? record.organization : {}) as Record<string, unknown>;
    const names = frArOf(o.name, o.name_i18n);
    const trimmed = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : null);
    const name = trimmed(names.fr);
    const key = exportedId ?? `name:${name ?? ''}`;
    if (decided.has(key)) return { id: decided.get(key)!, created: false };
    const decide = (id: string | null, created = false) => {
      decided.set(key, id);
      return { id, created };
    };
    if (exportedId && UUID.test(exportedId) && (await this.organisations.findById(exportedId))) return decide(exportedId);
    const province = typeof record.province === 'string' ? await this.services.place(record.province, 'province') : null;
    const regionId = actor.regionId ?? province?.parentId ?? null;
    const identifiers = Array.isArray(o.organization_identifiers)
      ? (o.organization_identifiers as Array<Record<string, unknown>>).flatMap((i) => (typeof i?.identifier === 'string' ? [i.identifier] : []))
      : [];
    const match = await this.directory.findProviderByIdentifierOrName(regionId, identifiers, name);
    if (match) return decide(match);
    const draft = { name: name ?? '', nameAr: trimmed(names.ar)?.slice(0, 300) ?? null, type: 'service_provider' as const, regionId, provinceId: province?.parentId === regionId ? (province?.id ?? null) : null };
    if (!name || !ability.can('create', subject('Organisation', { ...draft }) as never)) return decide(null);
    const org = await this.organisations.save({ ...draft, ...(exportedId && UUID.test(exportedId) ? { id: exportedId } : {}) });
    const text = (v: unknown, max: number) => (typeof v === 'string' && v.trim() ? v.trim().slice(0, max) : null);
    const i18n = (o.description_i18n ?? {}) as Record<string, unknown>;
    const description = { fr: text(i18n.fr, 5000), ar: text(i18n.ar, 5000), en: text(i18n.en, 5000) };
    // A description that only repeats the name is the export's stand-in for none.
    if (!description.fr && !description.ar && !description.en && text(o.description, 5000) !== org.name) description.fr = text(o.description, 5000);
    const phone = Array.isArray(o.phones) ? text((o.phones[0] as Record<string, unknown> | undefined)?.number, 40) : null;
    const profile = { alternateName: text(o.alternate_name, 300), descriptionFr: description.fr, descriptionAr: description.ar, descriptionEn: description.en, email: text(o.email, 254), website: text(o.website, 500), phone };
    if (Object.values(profile).some((v) => v !== null)) await this.directory.saveProfile({ organisationId: org.id, ...profile, lastModified: new Date(), updatedById: actor.userId });
    return decide(org.id, true);
  }

  /** Every service the caller may manage, as HSDS JSON lines (with focal points and deadlines). */
  async *export(ability: AppAbility, actor: Actor): AsyncGenerator<string> {
    for await (const s of this.exportObjects(ability, actor)) yield JSON.stringify(s) + '\n';
  }

  /** Every service the caller may manage, as HSDS objects. */
  async *exportObjects(ability: AppAbility, actor: Actor): AsyncGenerator<Record<string, unknown>> {
    const scope = this.services.scope(ability, 'update');
    for (let offset = 0; ; offset += 200) {
      const { hits } = await this.search.search(scope, {}, { offset, limit: 200 });
      if (!hits.length) return;
      for (const g of await this.directory.loadGraphs(hits.map((h) => h.id))) {
        yield serviceJson(g, { lang: actor.language, management: this.services.manages(ability, g.service), interchange: true });
      }
      if (hits.length < 200) return;
    }
  }
}
