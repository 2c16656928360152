import { subject } from '@casl/ability';
import { abilityFor, defineAbilityFor, SUBJECT_FIELDS, PROVIDER_SERVICE_FIELDS, type Action, type Subject } from '../../src/authorization/ability.factory.js';
import { ROLE_ORGANISATION_TYPES, ROLES, type Actor, type Role } from '../../src/authorization/actor.js';
import { scopeFor } from '../../src/authorization/scope.js';

/**
 * defineAbilityFor as a table (domain.md §2): for each role, held alone in its organisation type,
 * every subject and action it is granted and on which condition; anything absent is refused. The
 * condition is the rule as scopeFor renders it, with the condition fields as columns and the
 * actor's own ids as ORG (its organisation), ME (the user) and REGION. `*` is every action. The
 * table is written out by hand: a change to the rules must change it here, in review.
 */
const TABLE: Record<Role, Record<string, string>> = {
  admin: {
    'Organisation: *': 'TRUE',
    'User: *': 'TRUE',
    'Place: *': 'TRUE',
    'Taxonomy: *': 'TRUE',
    'Service: *': 'TRUE',
    'Report: read export': 'TRUE',
    'Activity: *': 'TRUE',
    'AuditEvent: read': 'TRUE',
    'Outbox: *': 'TRUE',
    'Import: *': 'TRUE',
  },
  supervisor: {
    'Organisation: read': 'id = ORG',
    'User: read': '(organisationId = ORG OR id = ME)',
    'Place: read': 'TRUE',
    'Taxonomy: read': 'TRUE',
    'Service: read': 'tier IN (public, partners, restricted)',
    'Case: create read update assign export': 'unitId = ORG',
    'Incident: create read update': 'unitId = ORG',
    'SessionNote: read': 'unitId = ORG',
    'Referral: create read update': 'unitId = ORG',
    'Report: read export': 'unitId = ORG',
    'AuditEvent: read': 'organisationId = ORG',
    'Import: *': 'unitId = ORG',
  },
  counsellor: {
    'Organisation: read': 'id = ORG',
    'User: read': '(organisationId = ORG OR id = ME)',
    'Place: read': 'TRUE',
    'Taxonomy: read': 'TRUE',
    'Service: read': 'tier IN (public, partners, restricted)',
    'Case: create read update': 'unitId = ORG',
    'Incident: create read update': '(unitId = ORG AND assignedCounsellorId = ME)',
    'SessionNote: read': '(unitId = ORG AND assignedCounsellorId = ME)',
    'Referral: create read update': 'unitId = ORG',
  },
  provider: {
    'Organisation: read': 'id = ORG',
    'User: read': 'id = ME',
    'Place: read': 'TRUE',
    'Taxonomy: read': 'TRUE',
    'Service: read': '(organisationId = ORG OR tier IN (public, partners))',
    'Service: update': 'organisationId = ORG',
    'Referral: read respond': '(providerOrganisationId = ORG AND status IS DISTINCT FROM draft)',
    'Report: read': 'providerOrganisationId = ORG',
  },
  coordinator: {
    'Organisation: create update': '(regionId = REGION AND type = service_provider)',
    'Organisation: read': '(regionId = REGION OR id = ORG)',
    'User: read': 'id = ME',
    'Place: read': 'TRUE',
    'Taxonomy: read': 'TRUE',
    'Service: create update delete assign export respond': 'regionId = REGION',
    'Service: read': '(regionId = REGION OR tier IN (public, partners, restricted))',
    'Report: read export': 'regionId = REGION',
    'Activity: *': 'regionId = REGION',
  },
  analyst: {
    'Organisation: read': 'id = ORG',
    'User: read': 'id = ME',
    'Place: read': 'TRUE',
    'Taxonomy: read': 'TRUE',
    'Service: read': 'tier IN (public, partners)',
    'Report: read export': 'TRUE',
    'Activity: read': 'TRUE',
  },
};

const FIELDS: Record<Exclude<Subject, 'all'>, readonly string[]> = SUBJECT_FIELDS;
const ACTIONS: Action[] = ['create', 'read', 'update', 'delete', 'assign', 'export', 'respond'];

const actorWith = (role: Role, organisationType = ROLE_ORGANISATION_TYPES[role][0]!): Actor => ({
  userId: 'ME',
  organisationId: 'ORG',
  organisationType,
  regionId: 'REGION',
  provinceId: null,
  roles: [role],
  language: 'fr',
});

/** The table row of an actor, computed: subject and actions (grouped by condition) → condition. */
function tableOf(actor: Actor): Record<string, string> {
  const ability = defineAbilityFor(actor);
  const out: Record<string, string> = {};
  for (const s of Object.keys(FIELDS) as Array<keyof typeof FIELDS>) {
    const byCondition = new Map<string, Action[]>();
    for (const action of ACTIONS) {
      const scope = scopeFor(ability, action, s, Object.fromEntries(FIELDS[s].map((f) => [f, f])));
      if (scope.sql === 'FALSE') continue;
      const condition = scope.sql.replace(/:(?:\.\.\.)?(\w+)/g, (_, name: string) => {
        const v = scope.params[name];
        return Array.isArray(v) ? v.join(', ') : String(v);
      });
      byCondition.set(condition, [...(byCondition.get(condition) ?? []), action]);
    }
    for (const [condition, actions] of byCondition) out[`${s}: ${actions.length === ACTIONS.length ? '*' : actions.join(' ')}`] = condition;
  }
  return out;
}

describe('defineAbilityFor, role × action × subject', () => {
  it.each(ROLES)('%s', (role) => {
    expect(tableOf(actorWith(role))).toEqual(TABLE[role]);
  });

  it('gives nobody outside a counselling unit case content, whatever the role says', () => {
    for (const type of ['service_provider', 'coordination_body', 'programme'] as const) {
      const t = tableOf({ ...actorWith('supervisor', type), roles: ['supervisor', 'counsellor'] });
      expect(Object.keys(t).filter((k) => /^(Case|Incident|SessionNote):/.test(k))).toEqual([]);
    }
  });

  it('lets a provider change only the operational fields of its own services', () => {
    const ability = defineAbilityFor(actorWith('provider'));
    const own = subject('Service', { organisationId: 'ORG', regionId: 'REGION', tier: 'public' }) as never;
    for (const f of PROVIDER_SERVICE_FIELDS) expect(ability.can('update', own, f)).toBe(true);
    for (const f of ['name', 'tier', 'organisationId', 'categories']) expect(ability.can('update', own, f)).toBe(false);
    expect(ability.can('update', subject('Service', { organisationId: 'OTHER', regionId: 'REGION', tier: 'public' }) as never, 'schedules')).toBe(false);
  });

  it('gives an anonymous caller the public directory and the taxonomy only', () => {
    expect(tableOf(undefined as never)).toEqual({ 'Service: read': 'tier IN (public)', 'Taxonomy: read': 'TRUE' });
  });

  it('serves a cached ability only to the same caller with the same facts (abilityFor)', () => {
    const supervisor = actorWith('supervisor');
    expect(abilityFor({ ...supervisor })).toBe(abilityFor({ ...supervisor }));
    expect(abilityFor({ ...supervisor, language: 'ar' })).toBe(abilityFor(supervisor)); // the language rules nothing
    // Any fact a rule may read makes another ability: a changed role, organisation, region or province.
    const changed: Actor[] = [
      { ...supervisor, roles: ['counsellor'] },
      { ...supervisor, organisationId: 'OTHER' },
      { ...supervisor, regionId: 'OTHER-REGION' },
      { ...supervisor, provinceId: 'OTHER-PROVINCE' },
      { ...supervisor, userId: 'SOMEONE-ELSE' },
    ];
    for (const actor of changed) expect(abilityFor(actor)).not.toBe(abilityFor(supervisor));
    // And the cached one decides as a fresh one does.
    expect(tableOf({ ...supervisor, roles: ['counsellor'] })).toEqual(TABLE.counsellor);
    const cached = abilityFor({ ...supervisor, roles: ['counsellor'] });
    expect(cached.rules).toEqual(defineAbilityFor({ ...supervisor, roles: ['counsellor'] }).rules);
  });
});
