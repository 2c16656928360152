import { SetMetadata } from '@nestjs/common';
import type { Organisation } from '../organisations/organisation.entity.js';
import type { Place } from '../places/place.entity.js';
import type { User } from '../users/user.entity.js';

export const DEMO_SEEDER = 'tawjih:demo-seeder';

/** What the base seed made, handed to every feature's demo seeder. */
export interface SeedContext {
  places: Map<string, Place>; // by code
  organisations: Map<string, Organisation>; // by DemoOrganisation.key
  users: Map<string, User>; // by e-mail
}

export interface DemoSeeder {
  /** Loads this feature's demo data; must be idempotent (skip what exists). */
  seed(ctx: SeedContext): Promise<void>;
}

/**
 * Marks a provider as a demo seeder. Feature modules (directory, cases, referrals, …) register
 * their own; the seed service finds them, so the seed module depends on no feature.
 */
export const DemoSeed = (order: number) => SetMetadata(DEMO_SEEDER, order);
