/**
 * The fixed list of fields a counsellor may choose to send with a referral (minimum necessary,
 * domain.md §5) is the cases feature's consent field list: consent must cover every one chosen,
 * and the provider sees only those. Everything else about the case never travels.
 */
import type { ShareableField } from '../cases/cases.constants.js';

export { SHAREABLE_FIELDS, type ShareableField } from '../cases/cases.constants.js';

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
