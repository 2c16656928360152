import { Injectable } from '@nestjs/common';
import type { SqlScope } from '../authorization/scope.js';
import type { Page } from '../common/pagination.js';
import { keysetPage } from '../common/keyset.js';
import { TransactionHost } from '../database/transaction.js';
import { ActivityParticipation } from './activity-participation.entity.js';
import { Activity } from './activity.entity.js';
import type { ActivityQuery } from './dto/activity.dto.js';

/** Condition fields of the Activity subject → columns (alias `a`). */
export const ACTIVITY_SCOPE_COLUMNS = { regionId: 'a.region_id', organisationId: 'a.organiser_organisation_id' };

export type ParticipantGroup = Pick<ActivityParticipation, 'organisationType' | 'sex' | 'count'>;

@Injectable()
export class ActivitiesRepository {
  constructor(private readonly tx: TransactionHost) {}

  private get activities() {
    return this.tx.manager.getRepository(Activity);
  }

  private get participations() {
    return this.tx.manager.getRepository(ActivityParticipation);
  }

  list(scope: SqlScope, q: ActivityQuery): Promise<Page<Activity>> {
    const qb = this.activities.createQueryBuilder('a').where(scope.sql, scope.params);
    if (q.kind) qb.andWhere('a.kind = :kind', { kind: q.kind });
    if (q.regionId) qb.andWhere('a.region_id = :regionId', { regionId: q.regionId });
    if (q.from) qb.andWhere('a.held_on >= :from', { from: q.from });
    if (q.to) qb.andWhere('a.held_on <= :to', { to: q.to });
    return keysetPage(qb, 'a', q);
  }

  findInScope(scope: SqlScope, id: string): Promise<Activity | null> {
    return this.activities.createQueryBuilder('a').where('a.id = :id', { id }).andWhere(scope.sql, scope.params).getOne();
  }

  /** Participant groups of several activities in one query, by activity id. */
  async participantsOf(ids: string[]): Promise<Map<string, ParticipantGroup[]>> {
    const byActivity = new Map<string, ParticipantGroup[]>(ids.map((id) => [id, []]));
    if (!ids.length) return byActivity;
    const rows = await this.participations
      .createQueryBuilder('p')
      .where('p.activity_id IN (:...ids)', { ids })
      .orderBy('p.organisation_type')
      .addOrderBy('p.sex')
      .getMany();
    for (const r of rows) byActivity.get(r.activityId)!.push({ organisationType: r.organisationType, sex: r.sex, count: r.count });
    return byActivity;
  }

  save(activity: Partial<Activity>): Promise<Activity> {
    return this.activities.save(this.activities.create(activity));
  }

  /** Replaces the participant groups of an activity (call inside tx.run). */
  async replaceParticipants(activityId: string, groups: ParticipantGroup[]): Promise<void> {
    await this.participations.delete({ activityId });
    if (groups.length) await this.participations.insert(groups.map((g) => ({ ...g, activityId })));
  }

  async delete(id: string): Promise<void> {
    await this.activities.delete({ id });
  }

  exists(where: { topic: string; heldOn: string; isDemo: boolean }): Promise<boolean> {
    return this.activities.existsBy(where);
  }
}
