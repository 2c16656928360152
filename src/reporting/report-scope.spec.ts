import { abilityFor } from '../authorization/ability.factory.js';
import type { Actor } from '../authorization/actor.js';
import { reportScope } from './report-scope.js';
import { ROLLUP_SCOPE, SOURCES } from './report-sources.js';

const supervisorOf = (unit: string): Actor => ({
  userId: `00000000-0000-4000-8000-00000000000${unit.at(-1)}`,
  organisationId: unit,
  organisationType: 'counselling_unit',
  regionId: '00000000-0000-4000-8000-0000000000a1',
  provinceId: null,
  roles: ['supervisor'],
  language: 'fr',
});

describe('reportScope', () => {
  const unitA = '00000000-0000-4000-8000-000000000001';
  const unitB = '00000000-0000-4000-8000-000000000002';

  it("renders a caller's scope on a source once, not on every request", () => {
    const ability = abilityFor(supervisorOf(unitA));
    const columns = SOURCES['PSS-1']!.scope;
    const first = reportScope(ability, columns);
    expect(reportScope(ability, columns)).toBe(first);
    expect(Object.values(first.params)).toEqual([unitA]);
    // Each source's own columns: the roll-up's are another mapping, rendered on their own.
    expect(reportScope(ability, ROLLUP_SCOPE)).not.toBe(first);
  });

  it("never serves one caller's scope to another", () => {
    const columns = SOURCES['REF-1']!.scope;
    const a = reportScope(abilityFor(supervisorOf(unitA)), columns);
    const b = reportScope(abilityFor(supervisorOf(unitB)), columns);
    expect(Object.values(a.params)).toEqual([unitA]);
    expect(Object.values(b.params)).toEqual([unitB]);
    expect(a.sql).not.toBe(b.sql);
  });
});
