import { subject as as } from '@casl/ability';
import fc from 'fast-check';
import pg from 'pg';
import { defineAbilityFor, SUBJECT_FIELDS, type Action, type Subject } from '../../src/authorization/ability.factory.js';
import type { Actor } from '../../src/authorization/actor.js';
import { scopeFor } from '../../src/authorization/scope.js';
import { ORGANISATION_TYPES, REFERRAL_STATUSES, ROLES, SERVICE_TIERS } from '../../src/vocabulary/index.js';

/**
 * The same rules decide a single record (`ability.can`) and a list (`scopeFor` → SQL): for every
 * subject and action, any actor and any record, PostgreSQL's answer to the scope's WHERE on that
 * record must be the ability's. Records are drawn from the actor's own ids and a few others, so
 * both sides of every condition are met often.
 */

/** Every condition field of every subject (SUBJECT_FIELDS), each a column of the one-row table below. */
const FIELDS: Record<Exclude<Subject, 'all'>, readonly string[]> = SUBJECT_FIELDS;
const SUBJECTS = Object.keys(FIELDS) as Array<keyof typeof FIELDS>;
const ACTIONS: Action[] = ['create', 'read', 'update', 'delete', 'assign', 'export', 'respond'];

const ids = ['00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000002', '00000000-0000-4000-8000-000000000003'];
const id = fc.constantFrom(...ids);
const actor: fc.Arbitrary<Actor> = fc.record({
  userId: id,
  organisationId: id,
  organisationType: fc.constantFrom(...ORGANISATION_TYPES),
  regionId: fc.option(id, { nil: null }),
  provinceId: fc.constant(null),
  roles: fc.uniqueArray(fc.constantFrom(...ROLES), { minLength: 1, maxLength: 3 }),
  language: fc.constant('fr' as const),
});
/** A value of a field: an id (or none), or a code of the field's own list. */
const valueOf = (field: string): fc.Arbitrary<string | null> => {
  if (field === 'status') return fc.constantFrom(...REFERRAL_STATUSES);
  if (field === 'tier') return fc.constantFrom(...SERVICE_TIERS);
  if (field === 'type') return fc.constantFrom(...ORGANISATION_TYPES);
  return fc.option(id, { nil: null, freq: 5 });
};
const record = (s: keyof typeof FIELDS) => fc.record(Object.fromEntries(FIELDS[s].map((f) => [f, valueOf(f)])) as Record<string, fc.Arbitrary<string | null>>);

let db: pg.Client;
beforeAll(async () => {
  db = new pg.Client({ connectionString: process.env.TAWJIH_TEST_ADMIN_URL });
  await db.connect();
});
afterAll(() => db.end());

/** The scope's WHERE evaluated by PostgreSQL on one record (a row of text columns named after the fields). */
async function sqlSays(s: keyof typeof FIELDS, action: Action, a: Actor, rec: Record<string, string | null>): Promise<boolean> {
  const fields = FIELDS[s];
  const scope = scopeFor(defineAbilityFor(a), action, s, Object.fromEntries(fields.map((f) => [f, `t."${f}"`])));
  const values: unknown[] = fields.map((f) => rec[f]);
  // Named parameters (`:name`, `:...list`) → positional ones, as TypeORM expands them.
  const where = scope.sql.replace(/:(\.\.\.)?(\w+)/g, (_, spread: string | undefined, name: string) => {
    const v = scope.params[name];
    if (spread) return (v as unknown[]).map((x) => `$${values.push(x)}::text`).join(', ');
    return `$${values.push(v)}::text`;
  });
  const row = fields.length ? `(VALUES (${fields.map((_, i) => `$${i + 1}::text`).join(', ')})) AS t(${fields.map((f) => `"${f}"`).join(', ')})` : '(SELECT 1) AS t';
  const res = await db.query(`SELECT COALESCE((${where}), false) AS ok FROM ${row}`, values);
  return res.rows[0].ok === true;
}

describe('scopeFor agrees with can() for every subject', () => {
  it.each(SUBJECTS)('%s', async (s) => {
    await fc.assert(
      fc.asyncProperty(actor, fc.constantFrom(...ACTIONS), record(s), async (a, action, rec) => {
        const can = defineAbilityFor(a).can(action, as(s, { ...rec }) as never);
        expect(await sqlSays(s, action, a, rec)).toBe(can);
      }),
      { numRuns: 300, seed: 17 },
    );
  });

  it('would see a disagreement (the oracle is not blind)', async () => {
    const counsellor: Actor = { userId: ids[0]!, organisationId: ids[1]!, organisationType: 'counselling_unit', regionId: null, provinceId: null, roles: ['counsellor'], language: 'fr' };
    expect(await sqlSays('Case', 'read', counsellor, { unitId: ids[1]!, assignedCounsellorId: null })).toBe(true);
    expect(await sqlSays('Case', 'read', counsellor, { unitId: ids[2]!, assignedCounsellorId: ids[0]! })).toBe(false);
    expect(await sqlSays('Referral', 'read', { ...counsellor, roles: ['provider'], organisationType: 'service_provider' }, { unitId: ids[2]!, providerOrganisationId: ids[1]!, status: 'draft' })).toBe(false);
  });
});
