import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What a provider sees is frozen when the referral is sent (issue #12): the shared values as one
 * FieldCipher value, and the moment a consent withdrawal erased them. Referrals sent before this
 * migration have no snapshot: their providers see no person values (never the live case).
 */
export class ReferralSharedSnapshot1796156721832 implements MigrationInterface {
  name = 'ReferralSharedSnapshot1796156721832';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "referral" ADD "shared_enc" text`);
    await queryRunner.query(`ALTER TABLE "referral" ADD "consent_withdrawn_at" TIMESTAMP WITH TIME ZONE`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "referral" DROP COLUMN "consent_withdrawn_at"`);
    await queryRunner.query(`ALTER TABLE "referral" DROP COLUMN "shared_enc"`);
  }
}
