export const ROLES = ['admin', 'supervisor', 'counsellor', 'provider', 'coordinator', 'analyst'] as const;
export type Role = (typeof ROLES)[number];

export const ORGANISATION_TYPES = ['counselling_unit', 'service_provider', 'coordination_body', 'programme'] as const;
export type OrganisationType = (typeof ORGANISATION_TYPES)[number];

export const LANGUAGES = ['fr', 'ar', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

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
