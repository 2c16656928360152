import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Outbox claims that belong to one worker (so a lease is renewed, and a failure recorded, only by
 * the worker holding it) and a time after which an undeliverable message is given up (72 h).
 */
export class OutboxClaims1796158353316 implements MigrationInterface {
  name = 'OutboxClaims1796158353316';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "outbox_message" ADD "claim_token" uuid`);
    await queryRunner.query(`ALTER TABLE "outbox_message" ADD "give_up_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT (now() + interval '72 hours')`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "outbox_message" DROP COLUMN "give_up_at"`);
    await queryRunner.query(`ALTER TABLE "outbox_message" DROP COLUMN "claim_token"`);
  }
}
