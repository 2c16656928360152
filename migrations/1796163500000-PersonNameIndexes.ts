import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Search by name without decrypting: keyed blind indexes of each normalised word of a person's
 * name (and of the whole name), matched exactly with a GIN index. Rows written before this
 * migration get theirs from `npm run identities:reindex` (re-runnable), or when the identity is
 * next saved: the key lives in the app, so SQL cannot compute them here.
 */
export class PersonNameIndexes1796163500000 implements MigrationInterface {
  name = 'PersonNameIndexes1796163500000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "person_identity" ADD "name_bis" character varying(64) array NOT NULL DEFAULT '{}'`);
    await queryRunner.query(`CREATE INDEX "person_identity_name_bis_idx" ON "person_identity" USING gin ("name_bis")`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."person_identity_name_bis_idx"`);
    await queryRunner.query(`ALTER TABLE "person_identity" DROP COLUMN "name_bis"`);
  }
}
