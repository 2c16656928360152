import { SEXES } from '../cases/cases.constants.js';

export { ACTIVITY_KINDS, PARTICIPANT_ORGANISATION_TYPES } from '../vocabulary/index.js';
export type { ActivityKind, ParticipantOrganisationType } from '../vocabulary/index.js';

export const PARTICIPANT_SEXES = SEXES;
export type ParticipantSex = (typeof PARTICIPANT_SEXES)[number];

/** Most participants one activity may record (a symposium of a few hundred; a typo of 10⁶ is refused). */
export const MAX_PARTICIPANTS_PER_GROUP = 10_000;
