import { Injectable } from '@nestjs/common';
import { ForbiddenError, subject } from '@casl/ability';
import { randomUUID } from 'node:crypto';
import type { AppAbility } from '../authorization/ability.factory.js';
import type { Actor, Language } from '../authorization/actor.js';
import { scopeFor } from '../authorization/scope.js';
import { notFound, type FieldError } from '../common/domain-error.js';
import { TransactionHost } from '../database/transaction.js';
import { OrganisationsService } from '../organisations/organisations.service.js';
import { PlacesService } from '../places/places.service.js';
import type { Place } from '../places/place.entity.js';
import type { Service } from './directory.entity.js';
import { DirectoryRepository, SERVICE_SCOPE_COLUMNS, type ServiceGraph, type ServiceParts } from './directory.repository.js';
import { DirectoryErrors } from './directory.errors.js';
import { organisationJson, serviceJson } from './hsds.mapper.js';
import { TERM_BY_CODE, stableUuid } from './taxonomy.data.js';
import type { CreateServiceDto, UpdateOrganisationProfileDto, UpdateServiceDto } from './dto/service.dto.js';
import type { HsdsOrganizationView, HsdsServiceView } from './hsds.views.js';

type Input = UpdateServiceDto & { id?: string; organisationId?: string };

/** Scalar fields of the DTO that are columns of `service` with the same name. */
const SCALARS = [
  'nameFr', 'nameAr', 'nameEn', 'alternateName', 'descriptionFr', 'descriptionAr', 'descriptionEn',
  'eligibilityFr', 'eligibilityAr', 'eligibilityEn', 'url', 'email', 'status', 'tier', 'capacityStatus',
  'categories', 'populations', 'freeOfCharge', 'noDocumentsRequired', 'interpreterAvailable', 'feesDescription',
  'applicationProcess', 'waitTime', 'alert', 'minimumAge', 'maximumAge', 'assuredDate', 'assurerEmail',
  'responseHoursEmergency', 'responseHoursUrgent', 'responseHoursRoutine',
] as const;

/** A write checked and resolved, ready for the repository (see `prepare`). */
export interface PreparedWrite {
  row: Partial<Service>;
  locations?: Array<{ id: string; serviceAtLocationId?: string; row: Record<string, unknown> }>;
  parts: ServiceParts;
  searchExtra: string;
}

@Injectable()
export class DirectoryService {
  constructor(
    private readonly tx: TransactionHost,
    private readonly directory: DirectoryRepository,
    private readonly organisations: OrganisationsService,
    private readonly places: PlacesService,
  ) {}

  /**
   * Feedback of the referrals feature for the suggestions: a service's median hours from `sent` to
   * accepted, over its latest `sampleSize` acceptances (null = none yet). Written in the caller's
   * transaction (the acceptance's).
   */
  recordResponseTime(serviceId: string, medianResponseHours: number | null, sampleSize: number): Promise<void> {
    return this.directory.upsertResponseStats(serviceId, medianResponseHours, sampleSize);
  }

  /**
   * The same, measured by the referrals feature's own SELECT (`median`, `n`; `$1` the service) inside
   * the statement that writes it: one statement per acceptance, and its snapshot is the write's (issue #18).
   * One measure per process (its statement is prepared under one name).
   */
  recordMeasuredResponseTime(serviceId: string, measure: string): Promise<void> {
    return this.directory.upsertMeasuredResponseStats(serviceId, measure);
  }

  scope(ability: AppAbility, action: 'read' | 'update' | 'create' = 'read') {
    return scopeFor(ability, action, 'Service', SERVICE_SCOPE_COLUMNS);
  }

  /** The service as HSDS JSON, if the caller may see it (else 404). */
  async getJson(ability: AppAbility, id: string, lang: Language): Promise<HsdsServiceView> {
    const found = await this.directory.findInScope(this.scope(ability), id);
    if (!found) throw notFound('service');
    const [graph] = await this.directory.loadGraphs([id]);
    return serviceJson(graph, { lang, management: this.manages(ability, found) });
  }

  manages(ability: AppAbility, s: Service): boolean {
    return ability.can('update', subject('Service', { ...s }) as never);
  }

  listManaged(ability: AppAbility, q: { organisationId?: string; cursor?: string; limit?: number }) {
    return this.directory.listInScope(this.scope(ability, 'update'), q);
  }

  async create(ability: AppAbility, actor: Actor, dto: CreateServiceDto): Promise<HsdsServiceView> {
    const prepared = await this.prepare(ability, dto, null);
    const id = await this.tx.run(() => this.write(prepared, actor.userId));
    return this.getJson(ability, id, actor.language);
  }

  async update(ability: AppAbility, actor: Actor, id: string, dto: UpdateServiceDto): Promise<HsdsServiceView> {
    const existing = await this.directory.findInScope(this.scope(ability, 'update'), id);
    if (!existing) throw notFound('service');
    const denied = Object.keys(dto).filter(
      (f) => (dto as Record<string, unknown>)[f] !== undefined && !ability.can('update', subject('Service', { ...existing }) as never, f),
    );
    if (denied.length) throw DirectoryErrors.fieldsNotAllowed(denied);
    const prepared = await this.prepare(ability, dto, existing);
    await this.tx.run(() => this.write(prepared, actor.userId));
    return this.getJson(ability, id, actor.language);
  }

  async updateProfile(ability: AppAbility, actor: Actor, organisationId: string, dto: UpdateOrganisationProfileDto): Promise<HsdsOrganizationView> {
    const org = await this.organisations.find(organisationId);
    if (!org || org.type !== 'service_provider' || !ability.can('read', subject('Organisation', { ...org }) as never)) {
      throw notFound('organisation');
    }
    ForbiddenError.from(ability).throwUnlessCan('update', subject('Organisation', { ...org }) as never);
    const current = await this.directory.findProfile(organisationId);
    const profile = await this.directory.saveProfile({
      ...(current ?? { organisationId }),
      ...dto,
      lastModified: new Date(),
      updatedById: actor.userId,
    });
    return organisationJson(org, profile, actor.language);
  }

  /**
   * Checks what only the database can tell (organisation, places, locations, focal points, the
   * caller's reach for the resulting region) and returns the rows to write. Throws on the first
   * problem; `collect` mode (imports) reports them all.
   */
  async prepare(ability: AppAbility, input: Input, existing: Service | null, errors?: FieldError[]): Promise<PreparedWrite> {
    const fail = (field: string, message: string) => {
      if (!errors) throw DirectoryErrors.invalid([{ field, message }]);
      errors.push({ field, message });
    };
    const organisationId = existing?.organisationId ?? input.organisationId!;
    const org = await this.organisations.find(organisationId);
    if (!org || org.type !== 'service_provider' || org.status !== 'active') {
      fail('organisationId', 'must be an active service-provider organisation');
    }
    const next: Partial<Service> = { ...(existing ?? { organisationId, id: input.id ?? randomUUID(), isDemo: false }) };
    for (const k of SCALARS) {
      const v = (input as Record<string, unknown>)[k];
      if (v !== undefined) (next as Record<string, unknown>)[k] = v;
    }
    if (!next.nameFr && !next.nameAr && !next.nameEn) fail('nameFr', 'a name in at least one of fr, ar, en is required');
    if (next.minimumAge != null && next.maximumAge != null && next.maximumAge < next.minimumAge) {
      fail('maximumAge', 'maximumAge must not be below minimumAge');
    }

    let locations: PreparedWrite['locations'];
    let firstProvince: Place | null = null;
    if (input.locations) {
      const known = new Map((await this.directory.findLocations(input.locations.flatMap((l) => (l.id ? [l.id] : [])))).map((l) => [l.id, l]));
      locations = [];
      for (const [i, l] of input.locations.entries()) {
        const current = l.id ? known.get(l.id) : undefined;
        if (current && current.organisationId !== organisationId) fail(`locations.${i}.id`, 'this location belongs to another organisation');
        const province = l.province ? await this.place(l.province, 'province') : null;
        if (l.province && !province) fail(`locations.${i}.province`, 'unknown province code');
        firstProvince ??= province;
        const { province: _p, serviceAtLocationId, ...rest } = l;
        locations.push({
          id: l.id ?? randomUUID(),
          serviceAtLocationId,
          row: { ...rest, provinceId: province?.id ?? current?.provinceId ?? null, organisationId, addressId: l.addressId ?? current?.addressId ?? randomUUID() },
        });
      }
    }
    if (!existing || input.locations) {
      const province = firstProvince ?? (org?.provinceId ? await this.places.find(org.provinceId) : null);
      next.provinceId = province?.id ?? null;
      next.regionId = province?.parentId ?? org?.regionId ?? null;
    }

    const parts: ServiceParts = {};
    const withId = <T extends { id?: string }>(rows: T[]) => rows.map((r) => ({ ...r, id: r.id ?? randomUUID() }));
    if (input.phones) parts.phones = withId(input.phones).map((p) => ({ ...p, languages: p.languages ?? [] }));
    if (input.contacts) parts.contacts = withId(input.contacts);
    if (input.schedules) parts.schedules = withId(input.schedules);
    if (input.languages) {
      const seen = new Set<string>();
      // One row per language of a service: its id follows from both, so an export imports back the same.
      parts.languages = input.languages.filter((l) => !seen.has(l.code) && seen.add(l.code)).map((l) => ({ ...l, id: stableUuid(`service-language:${next.id}:${l.code}`) }));
    }
    if (input.costOptions) parts.costOptions = withId(input.costOptions);
    if (input.requiredDocuments) parts.requiredDocuments = withId(input.requiredDocuments);
    if (input.capacities) parts.capacities = withId(input.capacities).map((c) => ({ ...c, unitId: stableUuid(`unit:${c.unitName.toLowerCase()}`), updated: new Date() }));
    if (input.serviceAreas) {
      parts.serviceAreas = [];
      for (const [i, a] of withId(input.serviceAreas).entries()) {
        const place = a.place ? await this.place(a.place) : null;
        if (a.place && !place) fail(`serviceAreas.${i}.place`, 'unknown place code');
        const { place: _p, ...rest } = a;
        parts.serviceAreas.push({ ...rest, placeId: place?.id ?? null });
      }
    }
    if (input.focalPoints) {
      const userIds = input.focalPoints.flatMap((f) => (f.userId ? [f.userId] : []));
      const users = await this.directory.activeMembers(userIds, organisationId);
      // An import from another database names users this one does not have: their e-mail stays the focal point.
      const elsewhere = errors ? new Set(userIds.filter((id) => !users.has(id))) : new Set<string>();
      if (elsewhere.size) for (const id of await this.directory.existingUsers([...elsewhere])) elsewhere.delete(id);
      const focalPoints = input.focalPoints.map((f) => (f.userId && elsewhere.has(f.userId) && f.email ? { ...f, userId: undefined } : f));
      for (const [i, f] of focalPoints.entries()) {
        if (f.userId && !users.has(f.userId)) fail(`focalPoints.${i}.userId`, 'must be an active user of the service’s organisation');
        if (!f.userId && !f.email) fail(`focalPoints.${i}.email`, 'a focal point needs a user or an e-mail address');
      }
      parts.focalPoints = withId(focalPoints);
    }

    const links = (locations ?? []).map((l) => ({ locationId: l.id, id: l.serviceAtLocationId }));
    for (const id of await this.directory.serviceAtLocationIdsTaken(next.id!, links)) {
      fail(`locations.${links.findIndex((l) => l.id === id)}.serviceAtLocationId`, 'this id names another service at location');
    }
    for (const { key, id } of await this.directory.partIdsOfOtherServices(next.id!, parts)) {
      fail(`${key}.${parts[key]!.findIndex((r) => r.id === id)}.id`, 'this id belongs to another service');
    }

    // The caller must be allowed to hold the result (a coordinator cannot create or move a service out of the region).
    const action = existing ? 'update' : 'create';
    if (!ability.can(action, subject('Service', { ...next }) as never)) {
      if (errors) errors.push({ field: 'organisationId', message: `you may not ${action} services of this organisation or region` });
      else ForbiddenError.from(ability).throwUnlessCan(action, subject('Service', { ...next }) as never);
    }
    const labels = [...(next.categories ?? []).map((c) => `category:${c}`), ...(next.populations ?? []).map((c) => `population:${c}`)]
      .map((k) => TERM_BY_CODE.get(k)?.labels)
      .flatMap((l) => (l ? [l.fr, l.ar, l.en] : []));
    return { row: next, locations, parts, searchExtra: labels.join(' ') };
  }

  /** Writes a prepared service; call inside `tx.run`. Returns its id. */
  async write(p: PreparedWrite, userId: string | null): Promise<string> {
    const row = { ...p.row, lastModified: new Date(), updatedById: userId, version: (p.row.version ?? -1) + 1 };
    const saved = await this.directory.saveService(row);
    if (p.locations) {
      for (const l of p.locations) await this.directory.saveLocation({ ...l.row, id: l.id, lastModified: new Date(), isDemo: saved.isDemo });
      await this.directory.linkLocations(saved.id, p.locations.map((l) => ({ locationId: l.id, id: l.serviceAtLocationId })));
    }
    await this.directory.replaceParts(saved.id, p.parts);
    await this.directory.refreshSearch(saved.id, p.searchExtra);
    return saved.id;
  }

  loadGraphs(ids: string[]): Promise<ServiceGraph[]> {
    return this.directory.loadGraphs(ids);
  }

  private placeCache = new Map<string, Place | null>();

  /** A place by code (MA-OUJ) or id; `level` restricts it. */
  async place(codeOrId: string, level?: Place['level']): Promise<Place | null> {
    const key = codeOrId;
    if (!this.placeCache.has(key)) {
      const p = /^[0-9a-f-]{36}$/i.test(codeOrId) ? await this.places.find(codeOrId) : await this.places.findByCode(codeOrId);
      if (p) this.placeCache.set(key, p);
      else return null;
    }
    const p = this.placeCache.get(key) ?? null;
    return p && (!level || p.level === level) ? p : null;
  }
}
