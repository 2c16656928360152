import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * give_up_at without an expression default: NULL means "72 h after the message was written" (the
 * worker reads COALESCE(give_up_at, created_at + 72 h)); an admin's retry sets it explicitly.
 */
export class OutboxGiveUpNullable1796162823306 implements MigrationInterface {
  name = 'OutboxGiveUpNullable1796162823306';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "outbox_message" ALTER COLUMN "give_up_at" DROP DEFAULT, ALTER COLUMN "give_up_at" DROP NOT NULL`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`UPDATE "outbox_message" SET "give_up_at" = "created_at" + interval '72 hours' WHERE "give_up_at" IS NULL`);
    await queryRunner.query(`ALTER TABLE "outbox_message" ALTER COLUMN "give_up_at" SET DEFAULT (now() + interval '72 hours'), ALTER COLUMN "give_up_at" SET NOT NULL`);
  }
}
