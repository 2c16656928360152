/**
 * The fixed list of fields a counsellor may choose to send with a referral (minimum necessary,
 * domain.md §5) is the cases feature's consent field list: consent must cover every one chosen,
 * and the provider sees only those. Everything else about the case never travels.
 */
import type { ShareableField } from '../cases/cases.constants.js';
import type { FieldCipher } from '../common/crypto/field-cipher.js';

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

/** The send-time snapshot as one FieldCipher value (key id inside, rotated with the other *_enc columns). */
export function sealShared(cipher: FieldCipher, values: SharedValues): string | null {
  return Object.keys(values).length ? cipher.encrypt(JSON.stringify(values)) : null;
}

/** The snapshot back; nothing when there is none (never sent, sent before snapshots, or erased on withdrawal). */
export function openShared(cipher: FieldCipher, sealed: string | null): SharedValues {
  return sealed ? (JSON.parse(cipher.decrypt(sealed)) as SharedValues) : {};
}
