import { Injectable } from '@nestjs/common';
import { TransactionHost } from '../database/transaction.js';
import { keysetPage } from '../common/keyset.js';
import type { Page } from '../common/pagination.js';
import { Place, type PlaceLevel } from './place.entity.js';

export interface PlaceFilter {
  level?: PlaceLevel;
  parentId?: string;
  search?: string;
  cursor?: string;
  limit?: number;
}

@Injectable()
export class PlacesRepository {
  constructor(private readonly tx: TransactionHost) {}

  private get repo() {
    return this.tx.manager.getRepository(Place);
  }

  list(f: PlaceFilter): Promise<Page<Place>> {
    const qb = this.repo.createQueryBuilder('p');
    if (f.level) qb.andWhere('p.level = :level', { level: f.level });
    if (f.parentId) qb.andWhere('p.parent_id = :parentId', { parentId: f.parentId });
    if (f.search) qb.andWhere('(p.name_fr ILIKE :q OR p.name_ar ILIKE :q OR p.code ILIKE :q)', { q: `%${f.search}%` });
    return keysetPage(qb, 'p', f);
  }

  /** The provinces of some regions, and with `communes` their communes too, in one statement, by name. */
  within(regionIds: string[], communes: boolean): Promise<Place[]> {
    if (!regionIds.length) return Promise.resolve([]);
    const qb = this.repo.createQueryBuilder('p').where('p.parent_id IN (:...regionIds)', { regionIds });
    if (communes) qb.orWhere('p.parent_id IN (SELECT q.id FROM place q WHERE q.parent_id IN (:...regionIds))');
    return qb.orderBy('p.name_fr').addOrderBy('p.id').getMany();
  }

  findById(id: string): Promise<Place | null> {
    return this.repo.findOneBy({ id });
  }

  findByCode(code: string): Promise<Place | null> {
    return this.repo.findOneBy({ code });
  }

  save(place: Partial<Place>): Promise<Place> {
    return this.repo.save(this.repo.create(place));
  }
}
