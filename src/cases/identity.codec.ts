import { Injectable } from '@nestjs/common';
import { FieldCipher } from '../common/crypto/field-cipher.js';
import type { DocumentType } from './cases.constants.js';
import type { PersonIdentity } from './person-identity.entity.js';

/** The identifying fields of a person, in clear (only ever in memory, never logged). */
export interface Identity {
  givenName: string;
  familyName: string | null;
  phone: string | null;
  address: string | null;
  documentType: DocumentType | null;
  documentNumber: string | null;
}

/** Moroccan numbers written nationally (06…, 07…) and internationally (+212 6…, 00212 6…) match. */
export function normalisePhone(v: string): string {
  let s = v.normalize('NFKC').replace(/[^\d+]/g, '');
  if (s.startsWith('00')) s = `+${s.slice(2)}`;
  if (/^0\d{9}$/.test(s)) s = `+212${s.slice(1)}`;
  return s;
}

export const normaliseDocument = (v: string) => v.normalize('NFKC').toUpperCase().replace(/[^A-Z0-9]/g, '');

/** Case, accents, punctuation and the order of name parts do not matter. */
export function normaliseName(...parts: Array<string | null | undefined>): string {
  return parts
    .filter((p): p is string => !!p)
    .join(' ')
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean)
    .sort()
    .join(' ');
}

/** What `decode` reads of a stored identity: the encrypted fields and the document type. */
export type StoredIdentity = Pick<PersonIdentity, 'givenNameEnc' | 'familyNameEnc' | 'phoneEnc' | 'addressEnc' | 'documentType' | 'documentNumberEnc'>;

export interface IdentityIndexes {
  phoneBi: string | null;
  documentBi: string | null;
  nameBirthBi: string | null;
  nameBis: string[];
}

/** Encrypts identities for storage, decrypts them for an authorised read, computes their blind indexes. */
@Injectable()
export class IdentityCodec {
  constructor(private readonly cipher: FieldCipher) {}

  indexes(i: Pick<Identity, 'givenName' | 'familyName' | 'phone' | 'documentNumber'>, birthDate: string | null): IdentityIndexes {
    const name = normaliseName(i.givenName, i.familyName);
    return {
      phoneBi: this.cipher.blindIndex(i.phone, normalisePhone),
      documentBi: this.cipher.blindIndex(i.documentNumber, normaliseDocument),
      nameBirthBi: birthDate && name ? this.cipher.blindIndex(`${name}|${birthDate}`, (v) => v) : null,
      nameBis: this.nameIndexes(name),
    };
  }

  /** One blind index per word of a normalised name, and one of the whole name: "Aminata", "Diallo", "Aminata Diallo". */
  nameIndexes(normalised: string, opts: { whole: boolean } = { whole: true }): string[] {
    const words = normalised.split(' ').filter(Boolean);
    const all = opts.whole && words.length > 1 ? [...words, words.join(' ')] : words;
    return [...new Set(all.map((w) => this.cipher.blindIndex(`name:${w}`, (v) => v)!))];
  }

  encode(personId: string, i: Identity, birthDate: string | null): Omit<PersonIdentity, 'updatedAt' | 'person'> {
    return {
      personId,
      givenNameEnc: this.cipher.encrypt(i.givenName),
      familyNameEnc: this.cipher.encrypt(i.familyName),
      phoneEnc: this.cipher.encrypt(i.phone),
      addressEnc: this.cipher.encrypt(i.address),
      documentType: i.documentType,
      documentNumberEnc: this.cipher.encrypt(i.documentNumber),
      ...this.indexes(i, birthDate),
    };
  }

  decode(row: StoredIdentity): Identity {
    return {
      givenName: this.cipher.decrypt(row.givenNameEnc),
      familyName: this.cipher.decrypt(row.familyNameEnc),
      phone: this.cipher.decrypt(row.phoneEnc),
      address: this.cipher.decrypt(row.addressEnc),
      documentType: row.documentType,
      documentNumber: this.cipher.decrypt(row.documentNumberEnc),
    };
  }

  encrypt(text: string | null | undefined): string | null {
    return this.cipher.encrypt(text);
  }

  decrypt(stored: string | null): string | null {
    return this.cipher.decrypt(stored);
  }
}
