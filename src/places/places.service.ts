import { Injectable } from '@nestjs/common';
import { notFound } from '../common/domain-error.js';
import { PlacesRepository, type PlaceFilter } from './places.repository.js';
import { PlaceErrors } from './places.errors.js';
import type { CreatePlaceDto, UpdatePlaceDto } from './dto/place.dto.js';
import type { Place, PlaceLevel } from './place.entity.js';
import { PLACE_CENTRES } from './place-centres.js';
import type { PlacePageView, PlaceView } from './places.views.js';

const PARENT_LEVEL: Record<PlaceLevel, PlaceLevel | null> = {
  country: null,
  region: 'country',
  province: 'region',
  commune: 'province',
};

@Injectable()
export class PlacesService {
  constructor(private readonly places: PlacesRepository) {}

  list(f: PlaceFilter): Promise<PlacePageView> {
    return this.places.list(f);
  }

  /** Provinces of the regions (and their communes when asked), for pickers: one query, not one per parent. */
  within(regionIds: string[], opts: { communes: boolean }): Promise<Place[]> {
    return this.places.within(regionIds, opts.communes);
  }

  /** A place by id, or null (for other modules placing what they record). */
  find(id: string): Promise<Place | null> {
    return this.places.findById(id);
  }

  /** A place by its code (MA-OUJ…), or null. */
  findByCode(code: string): Promise<Place | null> {
    return this.places.findByCode(code);
  }

  async get(id: string): Promise<PlaceView> {
    return (await this.places.findById(id)) ?? Promise.reject(notFound('place'));
  }

  async create(dto: CreatePlaceDto): Promise<PlaceView> {
    const expected = PARENT_LEVEL[dto.level];
    if (expected) {
      const parent = dto.parentId ? await this.places.findById(dto.parentId) : null;
      if (!parent || parent.level !== expected) throw PlaceErrors.badParent(expected);
    } else if (dto.parentId) {
      throw PlaceErrors.badParent('nothing (a country has no parent)');
    }
    if (await this.places.findByCode(dto.code)) throw PlaceErrors.codeTaken();
    return this.places.save({ ...dto, parentId: dto.parentId ?? null });
  }

  async update(id: string, dto: UpdatePlaceDto): Promise<PlaceView> {
    const place = await this.get(id);
    return this.places.save({ ...place, ...dto });
  }

  /** The region a place lies in (itself when it is a region), for scoping organisations. */
  async regionOf(id: string): Promise<Place | null> {
    let place = await this.places.findById(id);
    while (place && place.level !== 'region' && place.parentId) place = await this.places.findById(place.parentId);
    return place?.level === 'region' ? place : null;
  }

  /**
   * Where someone of this commune or province is, for distances: the province's code and the place's
   * centre (the commune's, else the province's; null when the place has none). Null for other levels.
   */
  async whereabouts(placeId: string): Promise<{ provinceCode: string; point: { lat: number; lon: number } | null } | null> {
    const place = await this.places.findById(placeId);
    const province = place?.level === 'commune' && place.parentId ? await this.places.findById(place.parentId) : place;
    if (!place || province?.level !== 'province') return null;
    return { provinceCode: province.code, point: PLACE_CENTRES[place.code] ?? PLACE_CENTRES[province.code] ?? null };
  }
}
