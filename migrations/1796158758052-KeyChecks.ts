import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A check value per encryption key id and one for the blind-index key (an HMAC of a fixed label,
 * never the key), so the app can prove its configured keys before it writes with them.
 */
export class KeyChecks1796158758052 implements MigrationInterface {
  name = 'KeyChecks1796158758052';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "key_check" (
      "purpose" character varying(20) NOT NULL CHECK ("purpose" IN ('encryption', 'blind_index')),
      "key_id" character varying(64) NOT NULL,
      "check_value" character varying(100) NOT NULL,
      "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      CONSTRAINT "key_check_pk" PRIMARY KEY ("purpose", "key_id"))`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "key_check"`);
  }
}
