import type { Language, OrganisationType, Role } from '../vocabulary/index.js';

export { LANGUAGES, ORGANISATION_TYPES, ROLES } from '../vocabulary/index.js';
export type { Language, OrganisationType, Role } from '../vocabulary/index.js';

/** Which organisation types a role can be held in (domain.md §2). */
export const ROLE_ORGANISATION_TYPES: Record<Role, readonly OrganisationType[]> = {
  admin: ['programme', 'coordination_body'],
  supervisor: ['counselling_unit'],
  counsellor: ['counselling_unit'],
  provider: ['service_provider'],
  coordinator: ['coordination_body'],
  analyst: ['programme', 'coordination_body'],
};

/** Roles whose holders read case data; they need a second factor when MFA_REQUIRED=true. */
export const CASE_READING_ROLES: readonly Role[] = ['supervisor', 'counsellor', 'provider'];

/** The authenticated caller, as every policy and every scoped query sees it. */
export interface Actor {
  userId: string;
  organisationId: string;
  organisationType: OrganisationType;
  regionId: string | null;
  provinceId: string | null;
  roles: Role[];
  language: Language;
}
