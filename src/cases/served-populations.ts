import type { AgeBand, PopulationGroup, PopulationServed, Sex } from '../vocabulary/index.js';

const BY_GROUP: Partial<Record<PopulationGroup, PopulationServed>> = { migrant: 'migrants', refugee_asylum_seeker: 'refugees' };

/**
 * The directory's populations a person belongs to, from what the case records (population group,
 * sex, age band): what the referral suggestions weigh as "serves this person's population".
 */
export function servedPopulationsOf(p: { populationGroup?: PopulationGroup | null; sex?: Sex | null; ageBand?: AgeBand | null }): PopulationServed[] {
  const out: PopulationServed[] = [];
  const group = p.populationGroup ? BY_GROUP[p.populationGroup] : undefined;
  if (group) out.push(group);
  if (p.sex === 'female') out.push('women');
  if (p.ageBand === '0-17') out.push('children');
  return out;
}
