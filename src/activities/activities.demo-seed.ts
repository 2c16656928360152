import { Injectable } from '@nestjs/common';
import { DemoSeed, type DemoSeeder, type SeedContext } from '../seed/demo-seeder.js';
import { ActivitiesRepository, type ParticipantGroup } from './activities.repository.js';
import type { ActivityKind } from './activity.constants.js';

interface DemoActivity {
  kind: ActivityKind;
  topic: string;
  heldOn: string;
  place: string; // place code
  organiser: string; // demo organisation key
  participants: ParticipantGroup[];
}

/** A few programme activities, after the factsheet (counts only; no participant is named). */
const DEMO_ACTIVITIES: DemoActivity[] = [
  {
    kind: 'workshop',
    topic: 'Outil de référencement — atelier de conception (démo)',
    heldOn: '2026-02-10',
    place: 'MA-OUJ-OUJ',
    organiser: 'coord-oriental',
    participants: [
      { organisationType: 'public_service', sex: 'female', count: 9 },
      { organisationType: 'public_service', sex: 'male', count: 6 },
      { organisationType: 'civil_society', sex: 'female', count: 7 },
      { organisationType: 'local_authority', sex: 'male', count: 3 },
    ],
  },
  {
    kind: 'workshop',
    topic: 'Outil de référencement — atelier de validation (démo)',
    heldOn: '2026-04-22',
    place: 'MA-BER-BER',
    organiser: 'coord-oriental',
    participants: [
      { organisationType: 'public_service', sex: 'female', count: 8 },
      { organisationType: 'civil_society', sex: 'male', count: 5 },
      { organisationType: 'migrant_association', sex: 'female', count: 2 },
    ],
  },
  {
    kind: 'training',
    topic: 'Référencement des femmes et enfants victimes de violence (démo)',
    heldOn: '2026-05-18',
    place: 'MA-OUJ',
    organiser: 'coord-oriental',
    participants: [
      { organisationType: 'public_service', sex: 'female', count: 21 },
      { organisationType: 'public_service', sex: 'male', count: 12 },
      { organisationType: 'government', sex: 'male', count: 6 },
      { organisationType: 'civil_society', sex: 'female', count: 11 },
    ],
  },
  {
    kind: 'fair',
    topic: 'Foire de l’emploi et de l’entrepreneuriat social (démo)',
    heldOn: '2026-06-05',
    place: 'MA-TNG-TNG',
    organiser: 'programme',
    participants: [
      { organisationType: 'private_sector', sex: 'male', count: 14 },
      { organisationType: 'private_sector', sex: 'female', count: 9 },
      { organisationType: 'migrant_association', sex: 'male', count: 18 },
      { organisationType: 'migrant_association', sex: 'female', count: 12 },
    ],
  },
  {
    kind: 'symposium',
    topic: 'Colloque international migration et université (démo)',
    heldOn: '2026-03-26',
    place: 'MA-01',
    organiser: 'programme',
    participants: [
      { organisationType: 'academia', sex: 'female', count: 34 },
      { organisationType: 'academia', sex: 'male', count: 29 },
      { organisationType: 'international_organisation', sex: 'female', count: 4 },
    ],
  },
];

@Injectable()
@DemoSeed(50)
export class ActivitiesDemoSeed implements DemoSeeder {
  constructor(private readonly activities: ActivitiesRepository) {}

  async seed(ctx: SeedContext): Promise<void> {
    for (const d of DEMO_ACTIVITIES) {
      if (await this.activities.exists({ topic: d.topic, heldOn: d.heldOn, isDemo: true })) continue;
      const place = ctx.places.get(d.place)!;
      const parent = place.parentId ? [...ctx.places.values()].find((p) => p.id === place.parentId) : undefined;
      const region = place.level === 'region' ? place : parent?.level === 'region' ? parent : [...ctx.places.values()].find((p) => p.id === parent?.parentId)!;
      const province = place.level === 'province' ? place : parent?.level === 'province' ? parent : null;
      const saved = await this.activities.save({
        kind: d.kind,
        topic: d.topic,
        heldOn: d.heldOn,
        placeId: place.id,
        regionId: region.id,
        provinceId: province?.id ?? null,
        organiserOrganisationId: ctx.organisations.get(d.organiser)!.id,
        createdById: null,
        isDemo: true,
      });
      await this.activities.replaceParticipants(saved.id, d.participants);
    }
  }
}
