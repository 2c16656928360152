import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The provider's short note back to the referring unit (with an outcome, a not-completed reason or
 * a decline): FieldCipher text like the unit's note for the provider, read only on the referral's
 * two sides.
 */
export class ReferralReplyNote1796156714166 implements MigrationInterface {
  name = 'ReferralReplyNote1796156714166';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "referral" ADD "reply_note_enc" text`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "referral" DROP COLUMN "reply_note_enc"`);
  }
}
