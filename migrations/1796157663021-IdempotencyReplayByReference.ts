import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An idempotent replay rebuilds its answer from the created record's id (issue #12): the stored
 * answer held decrypted values (a referral's note for the provider) in plain text for 48 hours.
 * Stored answers are dropped with the column; a key reused within the old window creates again.
 */
export class IdempotencyReplayByReference1796157663021 implements MigrationInterface {
  name = 'IdempotencyReplayByReference1796157663021';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DELETE FROM "idempotency_key"`);
    await queryRunner.query(`ALTER TABLE "idempotency_key" DROP COLUMN "response_body"`);
    await queryRunner.query(`ALTER TABLE "idempotency_key" ADD "response_ref" character varying(100)`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "idempotency_key" DROP COLUMN "response_ref"`);
    await queryRunner.query(`ALTER TABLE "idempotency_key" ADD "response_body" jsonb`);
  }
}
