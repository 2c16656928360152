/**
 * The fixed list of person/case fields a counsellor may choose to send with a referral (minimum
 * necessary, domain.md §5). Consent must cover every one chosen; the provider sees only those.
 * Everything else about the case (its notes, sessions, other needs, other referrals) never travels.
 */
export const SHAREABLE_FIELDS = [
  'name',
  'phone',
  'sex',
  'date_of_birth',
  'age_band',
  'nationality',
  'population_group',
  'languages',
  'disability',
  'province',
  'incidents',
] as const;
export type ShareableField = (typeof SHAREABLE_FIELDS)[number];

/** The person as one referral shows it: only the shared fields are present. */
export interface SharedPerson {
  name?: { given: string | null; family: string | null };
  phone?: string | null;
  sex?: string | null;
  dateOfBirth?: string | null;
  ageBand?: string | null;
  nationality?: string | null;
  populationGroup?: string | null;
  languages?: string[];
  disability?: boolean | null;
  province?: string | null;
  incidents?: Array<{ type: string; date: string | null; placeType?: string | null }>;
}

const KEY: Record<ShareableField, keyof SharedPerson> = {
  name: 'name',
  phone: 'phone',
  sex: 'sex',
  date_of_birth: 'dateOfBirth',
  age_band: 'ageBand',
  nationality: 'nationality',
  population_group: 'populationGroup',
  languages: 'languages',
  disability: 'disability',
  province: 'province',
  incidents: 'incidents',
};

/** Keeps only the fields the referral shares: the single filter every provider-facing view goes through. */
export function pickShared(full: SharedPerson, shared: readonly ShareableField[]): SharedPerson {
  const out: SharedPerson = {};
  for (const f of shared) {
    const k = KEY[f];
    if (full[k] !== undefined) (out as Record<string, unknown>)[k] = full[k];
  }
  return out;
}
