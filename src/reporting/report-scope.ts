import type { AppAbility } from '../authorization/ability.factory.js';
import { scopeFor, type ScopeColumns, type SqlScope } from '../authorization/scope.js';

/** The condition fields of the Report subject (ability.factory.ts). */
export const REPORT_SCOPE_FIELDS = ['unitId', 'regionId', 'providerOrganisationId'] as const;

interface RuleLike {
  inverted: boolean;
  conditions?: Record<string, unknown>;
}

const rules = (ability: AppAbility): RuleLike[] => ability.rulesFor('read', 'Report') as unknown as RuleLike[];
const fieldsOf = (r: RuleLike) => Object.keys(r.conditions ?? {});

/**
 * Whether the caller may see an indicator whose rows can be scoped by `columns`: some rule that
 * grants reading reports must be expressible on those rows (a provider's rule is about the
 * provider organisation, which activities do not have), and no restricting rule may be
 * inexpressible (fail closed).
 */
export function indicatorAvailable(ability: AppAbility, columns: ScopeColumns): boolean {
  const all = rules(ability);
  const expressible = (r: RuleLike) => fieldsOf(r).every((f) => f in columns);
  return all.some((r) => !r.inverted && expressible(r)) && all.filter((r) => r.inverted).every(expressible);
}

/**
 * The caller's report scope on a source as SQL. Condition fields the source cannot express are
 * mapped to NULL, so a rule that needs them never matches a row.
 */
export function reportScope(ability: AppAbility, columns: ScopeColumns): SqlScope {
  // One completed mapping per source's columns (module constants), so that scopeFor's cache, which
  // is keyed by the columns object, renders each caller's scope once rather than on every request.
  let full = completed.get(columns);
  if (!full) completed.set(columns, (full = { ...Object.fromEntries(REPORT_SCOPE_FIELDS.map((f) => [f, 'NULL'])), ...columns }));
  return scopeFor(ability, 'read', 'Report', full);
}

const completed = new WeakMap<ScopeColumns, ScopeColumns>();

/**
 * Regions the caller is limited to when every grant is a region grant (a coordinator); null when
 * some grant is unconditional or bound to a unit or provider (the SQL scope alone then applies).
 */
export function regionOnlyGrants(ability: AppAbility): string[] | null {
  const granting = rules(ability).filter((r) => !r.inverted);
  if (!granting.length) return [];
  if (granting.some((r) => fieldsOf(r).length === 0 || fieldsOf(r).some((f) => f !== 'regionId'))) return null;
  return granting.map((r) => String(r.conditions!.regionId));
}

/** Units the caller is limited to when every grant is a unit grant (a supervisor); else null. */
export function unitOnlyGrants(ability: AppAbility): string[] | null {
  const granting = rules(ability).filter((r) => !r.inverted);
  if (!granting.length) return [];
  if (granting.some((r) => fieldsOf(r).length === 0 || fieldsOf(r).some((f) => f !== 'unitId'))) return null;
  return granting.map((r) => String(r.conditions!.unitId));
}

/** Whether every Report rule of the caller (granting or restricting) is about the given fields only. */
export function scopedOnlyBy(ability: AppAbility, fields: readonly string[]): boolean {
  const all = rules(ability);
  return all.some((r) => !r.inverted) && all.every((r) => fieldsOf(r).every((f) => fields.includes(f)));
}
