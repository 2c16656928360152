import type { ServiceTier } from '../vocabulary/index.js';
import { AbilityBuilder, createMongoAbility, type MongoAbility, type MongoQuery } from '@casl/ability';
import type { Actor } from './actor.js';

export type Action = 'manage' | 'create' | 'read' | 'update' | 'delete' | 'assign' | 'export' | 'respond';

/**
 * Subjects, named with the words of domain.md §7. Conditions use the fields of SUBJECT_FIELDS; each
 * repository maps them to its SQL columns (see scope.ts), so the same rule decides a single
 * record check and a list query.
 */
export type Subject =
  | 'Organisation'
  | 'User'
  | 'Place'
  | 'Taxonomy'
  | 'Service'
  | 'Case'
  | 'Incident'
  | 'SessionNote'
  | 'Referral'
  | 'Report'
  | 'Activity'
  | 'AuditEvent'
  | 'Outbox'
  | 'Import'
  | 'all';

/** The fields a rule may put a condition on, per subject (a rule on another field fails closed in scopeFor). */
export const SUBJECT_FIELDS = {
  Organisation: ['id', 'regionId', 'type'],
  User: ['id', 'organisationId'],
  Place: [],
  Taxonomy: [],
  /** Fields for a provider's update: PROVIDER_SERVICE_FIELDS. */
  Service: ['organisationId', 'regionId', 'tier'],
  Case: ['unitId', 'assignedCounsellorId'],
  Incident: ['unitId', 'assignedCounsellorId'],
  /** The narrative of a session; its date, kind and duration are part of the Case. */
  SessionNote: ['unitId', 'assignedCounsellorId'],
  /** `status`: a provider never sees a unit's drafts. */
  Referral: ['unitId', 'providerOrganisationId', 'status'],
  Report: ['unitId', 'regionId', 'providerOrganisationId'],
  /** The region of the place it was held. */
  Activity: ['regionId'],
  AuditEvent: ['organisationId'],
  Outbox: [],
  /** A register import batch of a counselling unit. */
  Import: ['unitId'],
} as const satisfies Record<Exclude<Subject, 'all'>, readonly string[]>;

export type AppAbility = MongoAbility<[Action, Subject | Record<string, unknown>], MongoQuery>;

export { SERVICE_TIERS } from '../vocabulary/index.js';
export type { ServiceTier } from '../vocabulary/index.js';

/**
 * What a provider may change on its own organisation's services (domain.md §2: "keep their own
 * services' hours and capacity current"; the issue adds languages and focal points). Field names
 * are those of the directory's update DTO.
 */
export const PROVIDER_SERVICE_FIELDS = ['schedules', 'capacityStatus', 'capacities', 'languages', 'interpreterAvailable', 'focalPoints'];

/** The service-directory tiers a caller may see (domain.md §3: restricted = units and coordinators). */
export function visibleTiers(actor: Actor | undefined): ServiceTier[] {
  if (!actor) return ['public'];
  const restricted =
    actor.roles.includes('admin') ||
    actor.organisationType === 'counselling_unit' ||
    actor.organisationType === 'coordination_body';
  return restricted ? ['public', 'partners', 'restricted'] : ['public', 'partners'];
}

/**
 * The one place where "who may do what" is decided: the table of domain.md §2 as CASL rules.
 * Anonymous callers get an ability too (public directory only).
 */
export function defineAbilityFor(actor: Actor | undefined): AppAbility {
  const { can, cannot, build } = new AbilityBuilder<AppAbility>(createMongoAbility);
  can('read', 'Service', { tier: { $in: visibleTiers(actor) } });
  can('read', 'Taxonomy');
  if (!actor) return build();

  const org = actor.organisationId;
  can('read', 'Place');
  can('read', 'User', { id: actor.userId });
  can('read', 'Organisation', { id: org });

  for (const role of new Set(actor.roles)) {
    switch (role) {
      case 'admin':
        can('manage', ['Organisation', 'User', 'Place', 'Taxonomy', 'Service', 'Activity', 'Outbox', 'Import']);
        can('read', 'AuditEvent');
        can(['read', 'export'], 'Report');
        break;
      case 'supervisor':
        can(['create', 'read', 'update', 'assign', 'export'], 'Case', { unitId: org });
        can(['create', 'read', 'update'], 'Incident', { unitId: org });
        can('read', 'SessionNote', { unitId: org });
        can(['create', 'read', 'update'], 'Referral', { unitId: org });
        can('read', 'AuditEvent', { organisationId: org });
        can('read', 'User', { organisationId: org });
        can(['read', 'export'], 'Report', { unitId: org });
        can('manage', 'Import', { unitId: org });
        break;
      case 'counsellor':
        can(['create', 'read', 'update'], 'Case', { unitId: org });
        can(['create', 'read', 'update'], 'Incident', { unitId: org, assignedCounsellorId: actor.userId });
        // Session notes hold the same kind of story as incidents: need-to-know (domain.md §2).
        can('read', 'SessionNote', { unitId: org, assignedCounsellorId: actor.userId });
        can(['create', 'read', 'update'], 'Referral', { unitId: org });
        can('read', 'User', { organisationId: org });
        break;
      case 'provider':
        can(['read', 'respond'], 'Referral', { providerOrganisationId: org, status: { $ne: 'draft' } });
        // A provider sees its own listings whatever their tier, and updates only their operational fields.
        can('read', 'Service', { organisationId: org });
        can('update', 'Service', PROVIDER_SERVICE_FIELDS, { organisationId: org });
        can('read', 'Report', { providerOrganisationId: org });
        break;
      case 'coordinator':
        if (actor.regionId) {
          can('manage', 'Service', { regionId: actor.regionId });
          can('read', 'Organisation', { regionId: actor.regionId });
          can('create', 'Organisation', { regionId: actor.regionId, type: 'service_provider' });
          can('update', 'Organisation', { regionId: actor.regionId, type: 'service_provider' });
          can(['read', 'export'], 'Report', { regionId: actor.regionId });
          can('manage', 'Activity', { regionId: actor.regionId });
        }
        break;
      case 'analyst':
        can(['read', 'export'], 'Report');
        can('read', 'Activity');
        break;
    }
  }
  // Whatever else a role grants, nobody outside a counselling unit reads case content (domain.md §2).
  if (actor.organisationType !== 'counselling_unit') {
    cannot(['create', 'read', 'update', 'assign', 'export'], 'Case');
    cannot(['create', 'read', 'update'], 'Incident');
    cannot('read', 'SessionNote');
  }
  return build();
}

/** Abilities already built, by the actor facts they depend on (bounded: the oldest goes first). */
const built = new Map<string, AppAbility>();
const BUILT_MAX = 2000;

/**
 * defineAbilityFor, built once per distinct caller instead of once per request: the rules, and the
 * condition matchers CASL compiles on first use, are a pure function of the facts in the key (user,
 * organisation and its type and region, roles in order), so a changed role or organisation is a new
 * key at once. Nobody mutates an ability (no `update`), so one instance serves every request.
 */
export function abilityFor(actor: Actor | undefined): AppAbility {
  // Every fact of the actor but its language, so a rule that comes to read another (the province) cannot be served stale.
  const key = actor ? `${actor.userId}|${actor.organisationId}|${actor.organisationType}|${actor.regionId ?? ''}|${actor.provinceId ?? ''}|${actor.roles.join(',')}` : '';
  let ability = built.get(key);
  if (!ability) {
    if (built.size >= BUILT_MAX) built.delete(built.keys().next().value!);
    built.set(key, (ability = defineAbilityFor(actor)));
  }
  return ability;
}
