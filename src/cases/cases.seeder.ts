import { Injectable } from '@nestjs/common';
import { defineAbilityFor } from '../authorization/ability.factory.js';
import type { Actor } from '../authorization/actor.js';
import type { Category } from '../common/categories.js';
import { DemoSeed, type DemoSeeder, type SeedContext } from '../seed/demo-seeder.js';
import type { Organisation } from '../organisations/organisation.entity.js';
import type { User } from '../users/user.entity.js';
import { CaseRecordsService } from './case-records.service.js';
import type { AgeBand, IncidentType, PopulationGroup, RiskLevel, Sex } from './cases.constants.js';
import { CasesRepository } from './cases.repository.js';
import { CasesService } from './cases.service.js';
import { ConsentService } from './consent.service.js';
import { DeliveriesService } from './deliveries.service.js';
import { IncidentsService } from './incidents.service.js';

interface DemoCase {
  unit: 'unit-oujda' | 'unit-berkane';
  counsellor: string;
  givenName: string;
  sex: Sex;
  ageBand?: AgeBand;
  birthDate?: string;
  nationality: string;
  populationGroup: PopulationGroup;
  province: string;
  risk: RiskLevel;
  needs: Category[];
  incident?: IncidentType;
  sessions: number;
  /** [category, provider key (or the unit), days ago, outcome] */
  deliveries: Array<[Category, string | null, number, 'service_provided' | 'career_counselling' | 'business_startup_support']>;
  closed?: boolean;
}

const OUJ = 'counsellor.oujda@tawjih.test';
const OUJ2 = 'counsellor2.oujda@tawjih.test';
const BRK = 'counsellor.berkane@tawjih.test';

/** Made-up people: every name says it is a demo, every phone is in the reserved +212 600 000 0xx range. */
const DEMO_CASES: DemoCase[] = [
  { unit: 'unit-oujda', counsellor: OUJ, givenName: 'Awa', sex: 'female', birthDate: '1998-03-14', nationality: 'CI', populationGroup: 'migrant', province: 'MA-OUJ', risk: 'high', needs: ['clinical_management_of_rape', 'mhpss'], incident: 'rape', sessions: 3, deliveries: [['mhpss', null, 20, 'service_provided'], ['clinical_management_of_rape', 'health-oujda', 40, 'service_provided']] },
  { unit: 'unit-oujda', counsellor: OUJ, givenName: 'Mariam', sex: 'female', ageBand: '18-24', nationality: 'GN', populationGroup: 'migrant', province: 'MA-OUJ', risk: 'medium', needs: ['mhpss', 'shelter'], incident: 'physical_assault', sessions: 2, deliveries: [['mhpss', null, 10, 'service_provided']] },
  { unit: 'unit-oujda', counsellor: OUJ, givenName: 'Fatou', sex: 'female', birthDate: '2008-06-02', nationality: 'SN', populationGroup: 'migrant', province: 'MA-OUJ', risk: 'high', needs: ['child_protection', 'education'], sessions: 1, deliveries: [] },
  { unit: 'unit-oujda', counsellor: OUJ2, givenName: 'Jean', sex: 'male', birthDate: '1990-11-20', nationality: 'CM', populationGroup: 'refugee_asylum_seeker', province: 'MA-OUJ', risk: 'low', needs: ['legal_aid', 'documentation'], sessions: 1, deliveries: [['legal_aid', 'legal-oujda', 15, 'service_provided']] },
  { unit: 'unit-oujda', counsellor: OUJ2, givenName: 'Youssef', sex: 'male', birthDate: '1985-01-09', nationality: 'MA', populationGroup: 'moroccan_returnee', province: 'MA-OUJ', risk: 'low', needs: ['employment_business'], sessions: 2, deliveries: [['employment_business', 'jobs-oujda', 30, 'career_counselling'], ['employment_business', 'jobs-oujda', 5, 'business_startup_support']] },
  { unit: 'unit-oujda', counsellor: OUJ, givenName: 'Blessing', sex: 'female', ageBand: '25-59', nationality: 'NG', populationGroup: 'migrant', province: 'MA-OUJ', risk: 'medium', needs: ['sexual_reproductive_health', 'food_basic_needs'], incident: 'sexual_assault', sessions: 2, deliveries: [['mhpss', null, 60, 'service_provided'], ['food_basic_needs', 'food-oujda', 55, 'service_provided']], closed: true },
  { unit: 'unit-oujda', counsellor: OUJ2, givenName: 'Khadija', sex: 'female', birthDate: '1979-08-30', nationality: 'MA', populationGroup: 'host_community', province: 'MA-OUJ', risk: 'low', needs: ['mhpss'], incident: 'psychological_abuse', sessions: 4, deliveries: [['mhpss', null, 3, 'service_provided'], ['mhpss', 'pss-oujda', 12, 'service_provided']] },
  { unit: 'unit-oujda', counsellor: OUJ, givenName: 'Ibrahim', sex: 'male', ageBand: '0-17', nationality: 'ML', populationGroup: 'migrant', province: 'MA-OUJ', risk: 'high', needs: ['child_protection', 'health_care', 'interpretation'], sessions: 1, deliveries: [['health_care', 'csu-oujda', 7, 'service_provided']] },
  { unit: 'unit-berkane', counsellor: BRK, givenName: 'Aïcha', sex: 'female', birthDate: '2001-02-17', nationality: 'CM', populationGroup: 'migrant', province: 'MA-BER', risk: 'high', needs: ['mhpss', 'legal_aid'], incident: 'forced_marriage', sessions: 2, deliveries: [['mhpss', null, 8, 'service_provided'], ['legal_aid', 'legal-berkane', 25, 'service_provided']] },
  { unit: 'unit-berkane', counsellor: BRK, givenName: 'Grace', sex: 'female', ageBand: '25-59', nationality: 'CD', populationGroup: 'refugee_asylum_seeker', province: 'MA-BER', risk: 'medium', needs: ['health_care', 'mhpss'], incident: 'denial_of_resources', sessions: 1, deliveries: [['health_care', 'health-berkane', 18, 'service_provided']] },
  { unit: 'unit-berkane', counsellor: BRK, givenName: 'Moussa', sex: 'male', birthDate: '1994-12-01', nationality: 'BF', populationGroup: 'migrant', province: 'MA-BER', risk: 'low', needs: ['shelter', 'food_basic_needs'], sessions: 0, deliveries: [] },
  { unit: 'unit-berkane', counsellor: BRK, givenName: 'Salma', sex: 'female', birthDate: '1960-05-05', nationality: 'MA', populationGroup: 'host_community', province: 'MA-BER', risk: 'low', needs: ['mhpss'], sessions: 2, deliveries: [['mhpss', 'pss-berkane', 14, 'service_provided']] },
];

const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);

/**
 * A dozen demo cases in the Oujda and Berkane units, created through the services (so codes,
 * encryption and audit are the real ones), then labelled is_demo. Skips a unit that has demo cases.
 */
@Injectable()
@DemoSeed(30)
export class CasesDemoSeeder implements DemoSeeder {
  constructor(
    private readonly repo: CasesRepository,
    private readonly cases: CasesService,
    private readonly records: CaseRecordsService,
    private readonly consents: ConsentService,
    private readonly incidents: IncidentsService,
    private readonly deliveries: DeliveriesService,
  ) {}

  async seed(ctx: SeedContext): Promise<void> {
    const done = new Set<string>();
    for (const key of ['unit-oujda', 'unit-berkane']) if (await this.repo.hasDemoCases(ctx.organisations.get(key)!.id)) done.add(key);
    let n = 0;
    for (const d of DEMO_CASES) {
      n++;
      if (done.has(d.unit)) continue;
      const unit = ctx.organisations.get(d.unit)!;
      const actor = actorOf(ctx.users.get(d.counsellor)!, unit);
      const ability = defineAbilityFor(actor);
      const created = await this.cases.create(actor, ability, {
        person: {
          givenName: `${d.givenName} (démo)`,
          familyName: 'Exemple-Fictif',
          sex: d.sex,
          birthDate: d.birthDate,
          ageBand: d.birthDate ? undefined : d.ageBand,
          nationality: d.nationality,
          populationGroup: d.populationGroup,
          provinceId: ctx.places.get(d.province)!.id,
          languages: d.nationality === 'MA' ? ['ary', 'ar'] : ['fr'],
          phone: `+212 600 000 ${String(n).padStart(3, '0')}`,
        },
        riskLevel: d.risk,
        needs: d.needs,
      });
      const id = created.case.id;
      await this.consents.record(actor, ability, id, { givenBy: d.ageBand === '0-17' || (d.birthDate ?? '') > '2007' ? 'guardian' : 'person', method: 'verbal', categories: d.needs, fields: ['age_band', 'sex', 'nationality', 'languages', 'needs_summary'] });
      if (d.incident) {
        await this.incidents.create(actor, ability, id, { type: d.incident, placeType: 'street', timeElapsed: d.incident === 'rape' ? '0_3_days' : 'over_1_month', description: 'Récit fictif de démonstration.' });
      }
      for (let s = 0; s < d.sessions; s++) {
        await this.records.addSession(actor, ability, id, { sessionDate: daysAgo(30 - s * 7), kind: s === 0 ? 'case_management' : 'psychosocial', durationMinutes: 45, note: `Note de séance fictive n° ${s + 1} (démo).` });
      }
      if (d.sessions) await this.records.addTask(actor, ability, id, { dueDate: daysAgo(-7), description: 'Rappeler pour le suivi (démo).' });
      for (const [category, provider, ago, outcome] of d.deliveries) {
        await this.deliveries.record(actor, { caseId: id, category, deliveredOn: daysAgo(ago), outcome, providerOrganisationId: provider ? ctx.organisations.get(provider)!.id : unit.id });
      }
      if (d.closed) await this.cases.setStatus(actor, ability, id, { status: 'closed', closureReason: 'needs_met' });
      await this.repo.markDemo(id);
    }
  }
}

function actorOf(u: User, unit: Organisation): Actor {
  return { userId: u.id, organisationId: unit.id, organisationType: unit.type, regionId: unit.regionId, provinceId: unit.provinceId, roles: u.roles, language: u.language };
}
