import { Injectable } from '@nestjs/common';
import { ForbiddenError, subject } from '@casl/ability';
import type { AppAbility } from '../authorization/ability.factory.js';
import type { Actor } from '../authorization/actor.js';
import { scopeFor } from '../authorization/scope.js';
import { notFound } from '../common/domain-error.js';
import { TransactionHost } from '../database/transaction.js';
import { PlacesService } from '../places/places.service.js';
import { ActivityErrors } from './activities.errors.js';
import { ACTIVITY_SCOPE_COLUMNS, ActivitiesRepository, type ParticipantGroup } from './activities.repository.js';
import type { Activity } from './activity.entity.js';
import type { ActivityQuery, CreateActivityDto, UpdateActivityDto } from './dto/activity.dto.js';
import type { ActivityPageView, ActivityView } from './activities.views.js';

@Injectable()
export class ActivitiesService {
  constructor(
    private readonly tx: TransactionHost,
    private readonly activities: ActivitiesRepository,
    private readonly places: PlacesService,
  ) {}

  async list(ability: AppAbility, q: ActivityQuery): Promise<ActivityPageView> {
    if (q.from && q.to && q.from > q.to) throw ActivityErrors.badPeriod();
    const page = await this.activities.list(this.scope(ability, 'read'), q);
    const groups = await this.activities.participantsOf(page.items.map((a) => a.id));
    return { items: page.items.map((a) => view(a, groups.get(a.id)!)), nextCursor: page.nextCursor };
  }

  async get(ability: AppAbility, id: string): Promise<ActivityView> {
    const a = await this.find(ability, 'read', id);
    return view(a, (await this.activities.participantsOf([id])).get(id)!);
  }

  async create(actor: Actor, ability: AppAbility, dto: CreateActivityDto): Promise<ActivityView> {
    checkHeld(dto.heldOn);
    const groups = participantGroups(dto.participants);
    const where = await this.locate(dto.placeId);
    const draft = { kind: dto.kind, topic: dto.topic, heldOn: dto.heldOn, ...where, organiserOrganisationId: actor.organisationId, createdById: actor.userId };
    ForbiddenError.from(ability).throwUnlessCan('create', subject('Activity', { ...draft }) as never);
    const id = await this.tx.run(async () => {
      const saved = await this.activities.save(draft);
      await this.activities.replaceParticipants(saved.id, groups);
      return saved.id;
    });
    return this.get(ability, id);
  }

  async update(ability: AppAbility, id: string, dto: UpdateActivityDto): Promise<ActivityView> {
    const current = await this.find(ability, 'update', id);
    if (dto.heldOn) checkHeld(dto.heldOn);
    const groups = dto.participants ? participantGroups(dto.participants) : undefined;
    const where = dto.placeId ? await this.locate(dto.placeId) : {};
    const next: Activity = {
      ...current,
      ...where,
      kind: dto.kind ?? current.kind,
      topic: dto.topic ?? current.topic,
      heldOn: dto.heldOn ?? current.heldOn,
    };
    // Moving it to another place must keep it within the caller's reach (a coordinator's region).
    ForbiddenError.from(ability).throwUnlessCan('update', subject('Activity', { ...next }) as never);
    await this.tx.run(async () => {
      await this.activities.save(next);
      if (groups) await this.activities.replaceParticipants(id, groups);
    });
    return this.get(ability, id);
  }

  async remove(ability: AppAbility, id: string): Promise<void> {
    await this.find(ability, 'delete', id);
    await this.activities.delete(id);
  }

  private scope(ability: AppAbility, action: 'read' | 'update' | 'delete') {
    return scopeFor(ability, action, 'Activity', ACTIVITY_SCOPE_COLUMNS);
  }

  /** Out of scope (for this action) and missing both answer 404. */
  private async find(ability: AppAbility, action: 'read' | 'update' | 'delete', id: string): Promise<Activity> {
    const a = await this.activities.findInScope(this.scope(ability, action), id);
    if (!a) throw notFound('activity');
    return a;
  }

  /** Region and province of a region, province or commune. */
  private async locate(placeId: string): Promise<{ placeId: string; regionId: string; provinceId: string | null }> {
    let place = await this.places.find(placeId);
    let provinceId: string | null = null;
    for (let hops = 0; place && hops < 3; hops++) {
      if (place.level === 'province') provinceId = place.id;
      if (place.level === 'region') return { placeId, regionId: place.id, provinceId };
      if (place.level === 'country' || !place.parentId) break;
      place = await this.places.find(place.parentId);
    }
    throw ActivityErrors.badPlace();
  }
}

function participantGroups(list: { organisationType: ParticipantGroup['organisationType']; sex: ParticipantGroup['sex']; count: number }[]): ParticipantGroup[] {
  const seen = new Set<string>();
  return list.map((g, i) => {
    const k = `${g.organisationType}/${g.sex}`;
    if (seen.has(k)) throw ActivityErrors.duplicateGroup(i);
    seen.add(k);
    return { organisationType: g.organisationType, sex: g.sex, count: g.count };
  });
}

/** Recorded once held: a date after tomorrow (UTC, leaving room for time zones) is refused. */
function checkHeld(heldOn: string): void {
  const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
  if (heldOn > tomorrow) throw ActivityErrors.heldInFuture();
}

function view(a: Activity, participants: ParticipantGroup[]): ActivityView {
  return {
    id: a.id,
    kind: a.kind,
    topic: a.topic,
    heldOn: a.heldOn,
    placeId: a.placeId,
    regionId: a.regionId,
    provinceId: a.provinceId,
    organiserOrganisationId: a.organiserOrganisationId,
    participants,
    participantsTotal: participants.reduce((s, g) => s + g.count, 0),
    createdAt: a.createdAt,
    updatedAt: a.updatedAt,
  };
}
