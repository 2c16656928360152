import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Covering indexes for the indicator catalogue (issue 6, scale): a region's deliveries of a period
 * and its referrals sent in a period are read from the index alone (no heap visit), and a
 * referral's delivery date likewise. Declared with synchronize: false on the entities (TypeORM
 * cannot express INCLUDE).
 */
export class ReportIndexes1795921000000 implements MigrationInterface {
  name = 'ReportIndexes1795921000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX "delivery_report_idx" ON "delivery" ("unit_id", "delivered_on") INCLUDE ("category", "outcome", "person_id")`);
    await queryRunner.query(
      `CREATE INDEX "delivery_referral_report_idx" ON "delivery" ("referral_id") INCLUDE ("delivered_on") WHERE referral_id IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX "referral_report_idx" ON "referral" ("unit_id", "sent_at") INCLUDE ("id", "status", "answered_at", "category", "case_id", "provider_organisation_id") WHERE sent_at IS NOT NULL`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."referral_report_idx"`);
    await queryRunner.query(`DROP INDEX "public"."delivery_referral_report_idx"`);
    await queryRunner.query(`DROP INDEX "public"."delivery_report_idx"`);
  }
}
