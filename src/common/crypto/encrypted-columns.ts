/**
 * Every column that holds a FieldCipher value (`v1.<keyId>.…`), so key rotation reaches them all.
 * A feature that adds an encrypted column adds it here.
 */
export interface EncryptedColumn {
  table: string;
  key: string;
  column: string;
}

export const ENCRYPTED_COLUMNS: readonly EncryptedColumn[] = [
  { table: 'app_user', key: 'id', column: 'mfa_secret' },
  { table: 'person_identity', key: 'person_id', column: 'given_name_enc' },
  { table: 'person_identity', key: 'person_id', column: 'family_name_enc' },
  { table: 'person_identity', key: 'person_id', column: 'phone_enc' },
  { table: 'person_identity', key: 'person_id', column: 'address_enc' },
  { table: 'person_identity', key: 'person_id', column: 'document_number_enc' },
  { table: 'case_session', key: 'id', column: 'note_enc' },
  { table: 'follow_up_task', key: 'id', column: 'description_enc' },
  { table: 'incident', key: 'id', column: 'description_enc' },
  { table: 'referral', key: 'id', column: 'note_enc' },
  { table: 'referral', key: 'id', column: 'reason_text_enc' },
  { table: 'referral', key: 'id', column: 'shared_enc' },
  { table: 'referral', key: 'id', column: 'reply_note_enc' },
  { table: 'referral_event', key: 'id', column: 'reason_text_enc' },
  // An uploaded register and its column titles, kept only while its import is open.
  { table: 'import_batch', key: 'id', column: 'headers_enc' },
  { table: 'import_batch', key: 'id', column: 'file_enc' },
];
