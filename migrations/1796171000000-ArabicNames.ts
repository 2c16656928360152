import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Organisation and location names, street and city in Arabic where the directory holds them
 * (issue #14): an Arabic slip or directory page says where to go in Arabic, the French otherwise.
 */
export class ArabicNames1796171000000 implements MigrationInterface {
  name = 'ArabicNames1796171000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "organisation" ADD "name_ar" character varying(300)`);
    await queryRunner.query(`ALTER TABLE "location" ADD "name_ar" character varying(300)`);
    await queryRunner.query(`ALTER TABLE "location" ADD "address_1_ar" character varying(300)`);
    await queryRunner.query(`ALTER TABLE "location" ADD "city_ar" character varying(120)`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "location" DROP COLUMN "city_ar"`);
    await queryRunner.query(`ALTER TABLE "location" DROP COLUMN "address_1_ar"`);
    await queryRunner.query(`ALTER TABLE "location" DROP COLUMN "name_ar"`);
    await queryRunner.query(`ALTER TABLE "organisation" DROP COLUMN "name_ar"`);
  }
}
