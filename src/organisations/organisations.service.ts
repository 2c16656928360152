import { Injectable } from '@nestjs/common';
import { ForbiddenError, subject } from '@casl/ability';
import { notFound } from '../common/domain-error.js';
import type { AppAbility } from '../authorization/ability.factory.js';
import { scopeFor } from '../authorization/scope.js';
import { PlacesService } from '../places/places.service.js';
import { ORGANISATION_SCOPE_COLUMNS, OrganisationsRepository } from './organisations.repository.js';
import { OrganisationErrors } from './organisations.errors.js';
import type { CreateOrganisationDto, OrganisationQuery, UpdateOrganisationDto } from './dto/organisation.dto.js';
import type { Organisation } from './organisation.entity.js';
import type { OrganisationPageView, OrganisationView } from './organisations.views.js';

@Injectable()
export class OrganisationsService {
  constructor(
    private readonly organisations: OrganisationsRepository,
    private readonly places: PlacesService,
  ) {}

  /** An organisation by id, unscoped, or null: for other modules' own rules (a unit's code, a provider's type). */
  find(id: string): Promise<Organisation | null> {
    return this.organisations.findById(id);
  }

  list(ability: AppAbility, q: OrganisationQuery): Promise<OrganisationPageView> {
    return this.organisations.list(scopeFor(ability, 'read', 'Organisation', ORGANISATION_SCOPE_COLUMNS), q);
  }

  async get(ability: AppAbility, id: string): Promise<OrganisationView> {
    const org = await this.organisations.findInScope(scopeFor(ability, 'read', 'Organisation', ORGANISATION_SCOPE_COLUMNS), id);
    if (!org) throw notFound('organisation');
    return org;
  }

  async create(ability: AppAbility, dto: CreateOrganisationDto): Promise<OrganisationView> {
    if (dto.type === 'counselling_unit' && !dto.code) throw OrganisationErrors.codeRequired();
    const where = await this.locate(dto.placeId);
    const draft = { name: dto.name, nameAr: dto.nameAr ?? null, type: dto.type, code: dto.code ?? null, ...where };
    ForbiddenError.from(ability).throwUnlessCan('create', subject('Organisation', { ...draft }) as never);
    if (dto.code && (await this.organisations.codeTaken(dto.code))) throw OrganisationErrors.codeTaken();
    return this.organisations.save(draft);
  }

  async update(ability: AppAbility, id: string, dto: UpdateOrganisationDto): Promise<OrganisationView> {
    const org = await this.get(ability, id);
    ForbiddenError.from(ability).throwUnlessCan('update', subject('Organisation', { ...org }) as never);
    const where = dto.placeId ? await this.locate(dto.placeId) : {};
    if (dto.code && (await this.organisations.codeTaken(dto.code, id))) throw OrganisationErrors.codeTaken();
    const next = { ...org, ...where, name: dto.name ?? org.name, nameAr: dto.nameAr === undefined ? org.nameAr : dto.nameAr, code: dto.code ?? org.code, status: dto.status ?? org.status };
    // The new place must also be within the caller's reach (a coordinator cannot move one out of the region).
    ForbiddenError.from(ability).throwUnlessCan('update', subject('Organisation', { ...next }) as never);
    return this.organisations.save(next);
  }

  private async locate(placeId?: string): Promise<{ regionId: string | null; provinceId: string | null }> {
    if (!placeId) return { regionId: null, provinceId: null };
    const place = await this.places.find(placeId);
    if (place?.level === 'region') return { regionId: place.id, provinceId: null };
    if (place?.level === 'province' && place.parentId) return { regionId: place.parentId, provinceId: place.id };
    throw OrganisationErrors.badPlace();
  }
}
