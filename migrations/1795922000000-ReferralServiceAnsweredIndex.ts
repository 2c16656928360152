import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every accept recomputes the service's median response time (directory feedback). Over all of a
 * service's referrals that grew with its history (thousands at national scale); it now reads the
 * latest acceptances through this index, a bounded cost.
 */
export class ReferralServiceAnsweredIndex1795922000000 implements MigrationInterface {
  name = 'ReferralServiceAnsweredIndex1795922000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX "referral_service_answered_idx" ON "referral" ("service_id", "answered_at") WHERE answered_at IS NOT NULL`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."referral_service_answered_idx"`);
  }
}
