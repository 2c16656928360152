import { Controller, Get, Param, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { abilityFor } from '../../authorization/ability.factory.js';
import { Public } from '../../authorization/policies.js';
import { IdPipe } from '../../common/params.js';
import { DirectorySearchService } from '../../directory/directory-search.service.js';
import { DirectoryService } from '../../directory/directory.service.js';
import { HsdsServiceQuery } from '../../directory/dto/query.dto.js';
import { CATEGORIES, POPULATIONS, SPOKEN_LANGUAGES, WEEKDAYS } from '../../directory/taxonomy.data.js';
import { PlacesService } from '../../places/places.service.js';
import { attempt, parseForm, type FormBody } from '../forms.js';
import { Views, type PageRequest } from '../views.service.js';
import { LagTolerant } from '../../database/read-replica.js';

const PER_PAGE = 20;
const FILTERS = ['category', 'province', 'language', 'search', 'free', 'no_documents', 'open_now'] as const;
/** Provinces offered in the "city" filter: the programme's region (Oriental) first. */
const ORIENTAL = 'MA-02';

/**
 * The public directory: what a migrant or a volunteer opens on a phone. Always the anonymous
 * ability (public tier only), whoever is signed in; the same search service as the HSDS API.
 */
@ApiExcludeController()
@Controller()
@LagTolerant()
export class DirectoryPagesController {
  constructor(
    private readonly views: Views,
    private readonly search: DirectorySearchService,
    private readonly services: DirectoryService,
    private readonly places: PlacesService,
  ) {}

  @Get()
  @Public()
  async index(@Req() req: PageRequest, @Res() res: Response, @Query() raw: FormBody) {
    const lang = this.views.language(req);
    const filters = Object.fromEntries(FILTERS.map((k) => [k, raw[k]]).filter(([, v]) => typeof v === 'string' && v !== ''));
    const page = Math.max(1, Math.min(500, Number.parseInt(String(raw.page ?? '1'), 10) || 1));
    const r = await attempt(async () => {
      const q = await parseForm(HsdsServiceQuery, { ...filters, page: String(page), per_page: String(PER_PAGE) } as FormBody);
      return this.search.listServices(abilityFor(undefined), q, lang);
    });
    const region = await this.places.list({ level: 'region', search: undefined, limit: 50 });
    const oriental = region.items.find((p) => p.code === ORIENTAL);
    const provinces = oriental ? (await this.places.list({ level: 'province', parentId: oriental.id, limit: 50 })).items : [];
    const query = new URLSearchParams(filters as Record<string, string>);
    // Nothing found: offer the categories, and services in the chosen province (or anywhere) instead.
    const nearby =
      r.ok && r.value.empty
        ? (await this.search.listServices(abilityFor(undefined), await parseForm(HsdsServiceQuery, { ...(filters.province ? { province: filters.province } : {}), per_page: '5' } as FormBody), lang)).contents
        : [];
    await this.views.send(
      req,
      res,
      'directory/search',
      {
        title: 'dir.title',
        q: filters,
        categories: CATEGORIES,
        provinces,
        spokenLanguages: Object.entries(SPOKEN_LANGUAGES),
        results: r.ok ? r.value : null,
        nearby,
        error: r.ok ? null : r.error,
        categoryLabel: (code: string) => CATEGORIES.find((c) => c.code === code)?.labels[lang] ?? code,
        pageQuery: (n: number) => {
          query.set('page', String(n));
          return query.toString();
        },
      },
      r.ok ? 200 : r.error.status,
    );
  }

  @Get('services/:id')
  @Public()
  async service(@Req() req: PageRequest, @Res() res: Response, @Param('id', IdPipe) id: string) {
    const lang = this.views.language(req);
    const tr = this.views.translator(req);
    const service = await this.services.getJson(abilityFor(undefined), id, lang);
    const hours = (service.schedules ?? []).map((s) => ({
      days: tr.list(
        (s.byday ?? '')
          .split(',')
          .sort((a, b) => WEEKDAYS.indexOf(a as never) - WEEKDAYS.indexOf(b as never))
          .map((d) => tr.weekday(d)),
      ),
      opens: s.opens_at,
      closes: s.closes_at,
    }));
    await this.views.send(req, res, 'directory/service', {
      // A shared link reads as the service, in the page's language (its name and description as the directory holds them).
      title: 'dir.serviceTitle',
      titleVars: { name: service.name },
      metaDescription: [service.description ?? service.name, service.organization?.name].filter(Boolean).join(' — '),
      service,
      hours,
      categoryLabel: (code: string) => CATEGORIES.find((c) => c.code === code)?.labels[lang] ?? code,
      populationLabel: (code: string) => POPULATIONS.find((c) => c.code === code)?.labels[lang] ?? code,
    });
  }
}
