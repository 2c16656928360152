import { randomBytes } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { DiscoveryService, Reflector } from '@nestjs/core';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.js';
import { TransactionHost } from '../database/transaction.js';
import { PlacesRepository } from '../places/places.repository.js';
import { OrganisationsRepository } from '../organisations/organisations.repository.js';
import { UsersRepository } from '../users/users.repository.js';
import { hashPassword, verifyPassword } from '../users/password.js';
import type { Place } from '../places/place.entity.js';
import type { Organisation } from '../organisations/organisation.entity.js';
import type { User } from '../users/user.entity.js';
import { COUNTRY, REGIONS } from './places.data.js';
import { DEMO_ACCOUNTS, DEMO_ORGANISATIONS } from './demo-organisations.data.js';
import { DEMO_SEEDER, type DemoSeeder, type SeedContext } from './demo-seeder.js';

export interface SeedResult {
  places: number;
  demo: boolean;
  /** Set only when the demo accounts were created now with a generated password. */
  generatedPassword?: string;
}

@Injectable()
export class SeedService {
  private readonly logger = new Logger('Seed');

  constructor(
    private readonly tx: TransactionHost,
    private readonly places: PlacesRepository,
    private readonly organisations: OrganisationsRepository,
    private readonly users: UsersRepository,
    private readonly discovery: DiscoveryService,
    private readonly reflector: Reflector,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Reference places always; demo organisations, accounts and feature data unless in production. */
  async run(options: { demo: boolean }): Promise<SeedResult> {
    const placeMap = await this.tx.run(() => this.seedPlaces());
    const demo = options.demo && this.config.env !== 'production';
    if (!demo) return { places: placeMap.size, demo: false };

    const ctx: SeedContext = { places: placeMap, organisations: new Map(), users: new Map() };
    let generatedPassword: string | undefined;
    await this.tx.run(async () => {
      for (const o of DEMO_ORGANISATIONS) ctx.organisations.set(o.key, await this.seedOrganisation(o, placeMap));
      const missing = [];
      for (const a of DEMO_ACCOUNTS) {
        const existing = await this.users.findByEmail(a.email);
        if (existing) ctx.users.set(a.email, await this.alignDemoPassword(existing));
        else missing.push(a);
      }
      if (missing.length) {
        const password = this.config.demoPassword ?? (generatedPassword = randomBytes(12).toString('base64url') + '-Aa1');
        const passwordHash = await hashPassword(password);
        for (const a of missing) {
          const user = await this.users.save({
            email: a.email,
            displayName: a.displayName,
            organisationId: ctx.organisations.get(a.organisation)!.id,
            roles: a.roles,
            language: a.language,
            status: 'active',
            passwordHash,
            isDemo: true,
          });
          ctx.users.set(a.email, user);
        }
      }
    });
    for (const seeder of this.seeders()) await this.tx.run(() => seeder.seed(ctx));
    return { places: placeMap.size, demo: true, generatedPassword };
  }

  /** DEMO_PASSWORD, when set, is the demo accounts' password, also for accounts made earlier. */
  private async alignDemoPassword(user: User): Promise<User> {
    const wanted = this.config.demoPassword;
    if (!wanted || !user.isDemo || (await verifyPassword(user.passwordHash, wanted))) return user;
    return this.users.save({ ...user, passwordHash: await hashPassword(wanted), failedLogins: 0, lockedUntil: null });
  }

  private seeders(): DemoSeeder[] {
    return this.discovery
      .getProviders()
      .filter((w) => w.instance && w.metatype && this.reflector.get<number>(DEMO_SEEDER, w.metatype) !== undefined)
      .sort((a, b) => this.reflector.get<number>(DEMO_SEEDER, a.metatype!) - this.reflector.get<number>(DEMO_SEEDER, b.metatype!))
      .map((w) => w.instance as DemoSeeder);
  }

  private async seedPlaces(): Promise<Map<string, Place>> {
    const map = new Map<string, Place>();
    const upsert = async (code: string, level: Place['level'], nameFr: string, nameAr: string, parentId: string | null) => {
      const existing = await this.places.findByCode(code);
      const place = existing ?? (await this.places.save({ code, level, nameFr, nameAr, parentId }));
      map.set(code, place);
      return place;
    };
    const country = await upsert(COUNTRY.code, 'country', COUNTRY.nameFr, COUNTRY.nameAr, null);
    for (const r of REGIONS) {
      const region = await upsert(r.code, 'region', r.nameFr, r.nameAr, country.id);
      for (const p of r.provinces ?? []) {
        const province = await upsert(p.code, 'province', p.nameFr, p.nameAr, region.id);
        for (const c of p.communes ?? []) await upsert(c.code, 'commune', c.nameFr, c.nameAr, province.id);
      }
    }
    return map;
  }

  private async seedOrganisation(o: (typeof DEMO_ORGANISATIONS)[number], places: Map<string, Place>): Promise<Organisation> {
    const place = places.get(o.place)!;
    const regionId = place.level === 'region' ? place.id : place.parentId;
    const provinceId = place.level === 'province' ? place.id : null;
    const existing = (await this.organisations.list({ sql: 'o.name = :n AND o.is_demo', params: { n: o.name } }, { limit: 1 })).items[0];
    if (existing) return existing.nameAr ? existing : this.organisations.save({ ...existing, nameAr: o.nameAr });
    return this.organisations.save({ name: o.name, nameAr: o.nameAr, type: o.type, code: o.code ?? null, regionId, provinceId, isDemo: true });
  }
}

