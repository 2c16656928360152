import { MigrationInterface, QueryRunner } from 'typeorm';

/** The browser session that spent a refresh token, for the concurrent-refresh grace window. */
export class RefreshGrace1795920000000 implements MigrationInterface {
  name = 'RefreshGrace1795920000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "refresh_token" ADD "spent_by_session" character varying(64)`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "refresh_token" DROP COLUMN "spent_by_session"`);
  }
}
