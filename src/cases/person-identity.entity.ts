import { Column, Entity, Index, JoinColumn, OneToOne, PrimaryColumn, UpdateDateColumn, type Relation } from 'typeorm';
import { DOCUMENT_TYPES, type DocumentType } from './cases.constants.js';
import { Person } from './person.entity.js';

/**
 * The identifying fields of a person, each encrypted with the FieldCipher (`v1.<keyId>.…`), and
 * keyed blind indexes for exact look-ups and duplicate warnings. Deleted by anonymisation.
 */
@Entity('person_identity')
@Index('person_identity_phone_bi_idx', ['phoneBi'])
@Index('person_identity_document_bi_idx', ['documentBi'])
@Index('person_identity_name_birth_bi_idx', ['nameBirthBi'])
@Index('person_identity_name_bis_idx', { synchronize: false })
export class PersonIdentity {
  @PrimaryColumn({ type: 'uuid' })
  personId: string;

  @OneToOne(() => Person, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'person_id', foreignKeyConstraintName: 'person_identity_person_fk' })
  person?: Relation<Person>;

  @Column({ type: 'text' })
  givenNameEnc: string;

  @Column({ type: 'text', nullable: true })
  familyNameEnc: string | null;

  @Column({ type: 'text', nullable: true })
  phoneEnc: string | null;

  @Column({ type: 'text', nullable: true })
  addressEnc: string | null;

  @Column({ type: 'enum', enum: DOCUMENT_TYPES, enumName: 'document_type', nullable: true })
  documentType: DocumentType | null;

  @Column({ type: 'text', nullable: true })
  documentNumberEnc: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  phoneBi: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  documentBi: string | null;

  /** Blind index of the normalised full name and the birth date (null without a birth date). */
  @Column({ type: 'varchar', length: 64, nullable: true })
  nameBirthBi: string | null;

  /** Blind indexes of each normalised word of the name and of the whole name (search by name). */
  @Column({ type: 'varchar', length: 64, array: true, default: () => "'{}'" })
  nameBis: string[];

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
