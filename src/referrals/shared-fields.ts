/**
 * The fixed list of fields a counsellor may choose to send with a referral (minimum necessary,
 * domain.md §5). Consent must cover every one chosen; the provider sees only those. Everything else
 * about the case (notes, sessions, other referrals) never travels. Same codes as the cases
 * feature's consent `fields`.
 */
export const SHAREABLE_FIELDS = [
  'age_band',
  'sex',
  'nationality',
  'languages',
  'population_group',
  'phone',
  'name',
  'needs_summary',
  'incident_summary',
  'documents',
] as const;
export type ShareableField = (typeof SHAREABLE_FIELDS)[number];

/** The values one referral shares, keyed by field; a field not shared is absent. */
export interface SharedValues {
  age_band?: string | null;
  sex?: string | null;
  nationality?: string | null;
  languages?: string[] | null;
  population_group?: string | null;
  phone?: string | null;
  name?: string | null;
  needs_summary?: string[] | null;
  incident_summary?: Array<{ type: string; timeElapsed?: string | null; incidentDate?: string | null }> | null;
  documents?: { type: string; number: string | null } | null;
}

/** Keeps only the fields the referral shares: the one filter every provider-facing view goes through. */
export function pickShared(values: object, shared: readonly ShareableField[]): SharedValues {
  const out: Record<string, unknown> = {};
  const all = values as Record<string, unknown>;
  for (const f of shared) if (all[f] !== undefined) out[f] = all[f];
  return out as SharedValues;
}
