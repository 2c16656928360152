import { Injectable } from '@nestjs/common';
import { defineAbilityFor } from '../authorization/ability.factory.js';
import type { Actor } from '../authorization/actor.js';
import type { Organisation } from '../organisations/organisation.entity.js';
import { DemoSeed, type DemoSeeder, type SeedContext } from '../seed/demo-seeder.js';
import type { User } from '../users/user.entity.js';
import type { ReferralTransition } from './referral-state.js';
import { ReferralsRepository } from './referrals.repository.js';
import { ReferralCommands } from './referral-commands.service.js';

/** [counsellor, need category, provider org key, provider user, steps] */
type DemoReferral = [string, string, string, string, Array<[ReferralTransition, Record<string, string>]>];

const OUJ = 'counsellor.oujda@tawjih.test';
const OUJ2 = 'counsellor2.oujda@tawjih.test';
const HEALTH = 'provider.health.oujda@tawjih.test';
const PSS = 'provider.pss.oujda@tawjih.test';

/** A few referrals of the demo cases in each state of the loop, made through the service (real history, e-mails, deliveries). */
const DEMO_REFERRALS: DemoReferral[] = [
  [OUJ, 'clinical_management_of_rape', 'health-oujda', HEALTH, [['accept', {}], ['start', {}], ['complete', { outcomeCode: 'service_provided' }]]],
  [OUJ, 'mhpss', 'pss-oujda', PSS, [['accept', {}]]],
  [OUJ, 'mhpss', 'pss-oujda', PSS, []],
  [OUJ2, 'mhpss', 'pss-oujda', PSS, [['decline', { reasonCode: 'no_capacity' }]]],
];

@Injectable()
@DemoSeed(40)
export class ReferralsDemoSeeder implements DemoSeeder {
  constructor(
    private readonly referrals: ReferralCommands,
    private readonly repo: ReferralsRepository,
  ) {}

  async seed(ctx: SeedContext): Promise<void> {
    if (await this.repo.hasDemoReferrals()) return;
    for (const [counsellorEmail, category, providerKey, providerEmail, steps] of DEMO_REFERRALS) {
      const unit = ctx.organisations.get('unit-oujda')!;
      const provider = ctx.organisations.get(providerKey)!;
      const counsellor = actorOf(ctx.users.get(counsellorEmail)!, unit);
      const target = await this.repo.demoTarget(unit.id, category, [category], provider.id);
      if (!target) continue;
      const created = (await this.referrals.create(counsellor, defineAbilityFor(counsellor), {
        caseId: target.caseId,
        needId: target.needId,
        serviceAtLocationId: target.serviceAtLocationId,
        priority: category === 'clinical_management_of_rape' ? 'emergency' : 'routine',
        sharedFields: ['age_band', 'sex', 'languages'],
        noteForProvider: 'Orientation de démonstration.',
        send: true,
      })).body as { id: string };
      const providerActor = actorOf(ctx.users.get(providerEmail)!, provider);
      for (const [step, dto] of steps) await this.referrals.transition(providerActor, defineAbilityFor(providerActor), created.id, step, dto);
      await this.repo.markDemo(created.id);
    }
  }
}

function actorOf(u: User, org: Organisation): Actor {
  return { userId: u.id, organisationId: org.id, organisationType: org.type, regionId: org.regionId, provinceId: org.provinceId, roles: u.roles, language: u.language };
}
