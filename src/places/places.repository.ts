import { Injectable } from '@nestjs/common';
import { TransactionHost } from '../database/transaction.js';
import { keysetPage } from '../database/keyset.js';
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
