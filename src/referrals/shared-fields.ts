/**
 * The fixed list of fields a counsellor may choose to send with a referral (minimum necessary,
 * domain.md §5) is the cases feature's consent field list: consent must cover every one chosen,
 * and the provider sees only those. Everything else about the case never travels.
 */
import type { ShareableField } from '../cases/cases.constants.js';
import type { Category } from '../common/categories.js';
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

/**
 * What the wizard ticks first for a need of this category: what the provider needs to reach the
 * person and speak with them, and a few more where the service cannot start without them. Never an
 * incident summary: that one is ticked by a person, knowingly, or not at all.
 */
export function defaultSharedFields(category: Category): ShareableField[] {
  const contact: ShareableField[] = ['name', 'phone', 'languages'];
  switch (category) {
    case 'health_care':
    case 'sexual_reproductive_health':
    case 'clinical_management_of_rape':
      return [...contact, 'sex', 'age_band'];
    case 'legal_aid':
    case 'documentation':
      return [...contact, 'nationality', 'documents'];
    case 'child_protection':
      return [...contact, 'sex', 'age_band'];
    case 'interpretation':
      return ['languages'];
    default:
      return contact;
  }
}

/** The send-time snapshot as one FieldCipher value (key id inside, rotated with the other *_enc columns). */
export function sealShared(cipher: FieldCipher, values: SharedValues): string | null {
  return Object.keys(values).length ? cipher.encrypt(JSON.stringify(values)) : null;
}

/** The snapshot back; nothing when there is none (never sent, sent before snapshots, or erased on withdrawal). */
export function openShared(cipher: FieldCipher, sealed: string | null): SharedValues {
  return sealed ? (JSON.parse(cipher.decrypt(sealed)) as SharedValues) : {};
}
