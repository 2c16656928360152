import { Injectable } from '@nestjs/common';
import { AbilityBuilder, createMongoAbility } from '@casl/ability';
import type { AppAbility } from '../authorization/ability.factory.js';
import { DemoSeed, type DemoSeeder, type SeedContext } from '../seed/demo-seeder.js';
import { DirectoryRepository } from './directory.repository.js';
import { DirectoryService } from './directory.service.js';
import { DEMO_LOCATIONS, DEMO_SERVICES } from './demo-directory.data.js';
import { stableUuid } from './taxonomy.data.js';

/** Demo service ids are derived from their keys, so tests and other seeders can name them. */
export const demoServiceId = (key: string) => stableUuid(`demo-service:${key}`);
export const demoLocationId = (orgKey: string) => stableUuid(`demo-location:${orgKey}`);

/** The Arabic name of the commune called `city` in the province `provinceCode`, when the seed knows it. */
function communeNameAr(ctx: SeedContext, provinceCode: string, city: string): string | undefined {
  const province = ctx.places.get(provinceCode);
  return [...ctx.places.values()].find((p) => p.level === 'commune' && p.parentId === province?.id && p.nameFr === city)?.nameAr;
}

/** The demo directory: 40+ services in Oujda, Berkane, Nador and Taourirt, in three languages. */
@Injectable()
@DemoSeed(10)
export class DirectoryDemoSeeder implements DemoSeeder {
  constructor(
    private readonly directory: DirectoryRepository,
    private readonly services: DirectoryService,
  ) {}

  async seed(ctx: SeedContext): Promise<void> {
    const { can, build } = new AbilityBuilder<AppAbility>(createMongoAbility);
    can('manage', 'all');
    const seedAbility = build();
    for (const [key, org] of ctx.organisations) {
      if (org.type !== 'service_provider' || (await this.directory.findProfile(org.id))) continue;
      await this.directory.saveProfile({
        organisationId: org.id,
        descriptionFr: `${org.name} — partenaire du réseau d’orientation de l’Oriental.`,
        descriptionAr: 'شريك في شبكة التوجيه بجهة الشرق.',
        descriptionEn: 'Partner of the Oriental referral network.',
        email: `contact@${key}.example`,
        lastModified: new Date(),
      });
    }
    // Demo locations seeded before they had Arabic names get them (re-running the seed is how a demo is brought up to date).
    for (const [orgKey, loc] of Object.entries(DEMO_LOCATIONS)) {
      const [found] = await this.directory.findLocations([demoLocationId(orgKey)]);
      if (found && !found.nameAr) await this.directory.saveLocation({ id: found.id, nameAr: loc.nameAr, address1Ar: loc.address1Ar, cityAr: communeNameAr(ctx, loc.province, loc.city) ?? null });
    }
    for (const d of DEMO_SERVICES) {
      const id = demoServiceId(d.key);
      const found = await this.directory.findById(id);
      if (found) {
        // A demo seeded before its services were named or described in every language gets what it lacks.
        const lacking = Object.fromEntries(
          (
            [
              ['nameAr', d.name.ar],
              ['descriptionFr', d.description.fr],
              ['descriptionAr', d.description.ar],
              ['descriptionEn', d.description.en],
            ] as const
          ).filter(([k]) => !found[k]),
        );
        if (Object.keys(lacking).length) await this.services.write(await this.services.prepare(seedAbility, lacking, found), null);
        continue;
      }
      const org = ctx.organisations.get(d.org);
      if (!org) throw new Error(`demo directory: unknown organisation ${d.org}`);
      const loc = DEMO_LOCATIONS[d.org];
      const focalUser = d.focal?.user ? ctx.users.get(d.focal.user) : undefined;
      const prepared = await this.services.prepare(
        seedAbility,
        {
          id,
          organisationId: org.id,
          nameFr: d.name.fr,
          nameAr: d.name.ar,
          nameEn: d.name.en,
          descriptionFr: d.description.fr,
          descriptionAr: d.description.ar,
          descriptionEn: d.description.en,
          tier: d.tier ?? 'public',
          capacityStatus: d.capacity ?? 'accepting',
          categories: d.categories,
          populations: d.populations,
          freeOfCharge: d.free ?? false,
          noDocumentsRequired: d.noDocs ?? false,
          interpreterAvailable: d.interpreter ?? false,
          assuredDate: '2026-01-15',
          assurerEmail: 'coordinator.oriental@tawjih.test',
          responseHoursEmergency: d.responseHours?.emergency,
          responseHoursUrgent: d.responseHours?.urgent,
          responseHoursRoutine: d.responseHours?.routine,
          locations: loc
            ? [
                {
                  id: demoLocationId(d.org),
                  name: loc.name,
                  nameAr: loc.nameAr,
                  address1: loc.address1,
                  address1Ar: loc.address1Ar,
                  city: loc.city,
                  cityAr: communeNameAr(ctx, loc.province, loc.city),
                  postalCode: loc.postalCode,
                  province: loc.province,
                  latitude: loc.lat,
                  longitude: loc.lon,
                },
              ]
            : [],
          languages: d.languages.map((code) => ({ code })),
          schedules: (d.hours ?? []).map((h) => ({ byday: h.days, opensAt: h.opens, closesAt: h.closes })),
          phones: [{ number: '+212 5 36 00 00 00', type: 'voice', description: 'Accueil (démo)' }],
          requiredDocuments: (d.documents ?? []).map((document) => ({ document })),
          costOptions: d.free ? [{ option: 'Gratuit / مجاني / Free', amount: 0, currency: 'MAD' }] : [],
          capacities: d.capacityUnits ? [{ unitName: d.capacityUnits.unit, available: d.capacityUnits.available, maximum: d.capacityUnits.maximum }] : [],
          focalPoints: d.focal
            ? [{ userId: focalUser?.id, email: focalUser ? undefined : d.focal.email, language: d.focal.language }]
            : [],
        },
        null,
      );
      prepared.row.isDemo = true;
      await this.services.write(prepared, null);
    }
  }
}
