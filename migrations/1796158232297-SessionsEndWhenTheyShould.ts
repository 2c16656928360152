import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A refresh token remembers the account's token version when it was issued (issue #12): a password
 * change, a reset, a disable, a role change or an MFA reset bumps the version, and rotation refuses
 * a token of an older one. The revoked-family look-up of every request (session id in the access
 * token) reads through refresh_token_family_idx.
 */
export class SessionsEndWhenTheyShould1796158232297 implements MigrationInterface {
  name = 'SessionsEndWhenTheyShould1796158232297';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "refresh_token" ADD "token_version" integer NOT NULL DEFAULT 0`);
    await queryRunner.query(`UPDATE "refresh_token" rt SET "token_version" = u."token_version" FROM "app_user" u WHERE u."id" = rt."user_id"`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "refresh_token" DROP COLUMN "token_version"`);
  }
}
