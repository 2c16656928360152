import { SEXES } from '../cases/cases.constants.js';

/** Programme activities (domain.md §6): CAP-1 counts trainings, CAP-2 the others. */
export const ACTIVITY_KINDS = ['training', 'workshop', 'fair', 'symposium'] as const;
export type ActivityKind = (typeof ACTIVITY_KINDS)[number];

/**
 * The kind of organisation a participant came from (the factsheet counts ministries,
 * institutions, companies, universities, …). Not the system's own organisation types: most
 * participants' organisations have no account here.
 */
export const PARTICIPANT_ORGANISATION_TYPES = [
  'government',
  'local_authority',
  'public_service',
  'civil_society',
  'migrant_association',
  'private_sector',
  'academia',
  'international_organisation',
  'other',
] as const;
export type ParticipantOrganisationType = (typeof PARTICIPANT_ORGANISATION_TYPES)[number];

export const PARTICIPANT_SEXES = SEXES;
export type ParticipantSex = (typeof PARTICIPANT_SEXES)[number];

/** Most participants one activity may record (a symposium of a few hundred; a typo of 10⁶ is refused). */
export const MAX_PARTICIPANTS_PER_GROUP = 10_000;
