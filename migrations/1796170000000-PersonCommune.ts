import { MigrationInterface, QueryRunner } from 'typeorm';

/** The person's commune of residence when known (suggestions measure distance from it; issue #20). */
export class PersonCommune1796170000000 implements MigrationInterface {
  name = 'PersonCommune1796170000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "person" ADD "commune_id" uuid`);
    await queryRunner.query(`ALTER TABLE "person" ADD CONSTRAINT "person_commune_fk" FOREIGN KEY ("commune_id") REFERENCES "place"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "person" DROP CONSTRAINT "person_commune_fk"`);
    await queryRunner.query(`ALTER TABLE "person" DROP COLUMN "commune_id"`);
  }
}
