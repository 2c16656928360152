import { MigrationInterface, QueryRunner } from "typeorm";

export class IdempotencyKeys1795913843191 implements MigrationInterface {
    name = 'IdempotencyKeys1795913843191'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "idempotency_key" ("actor_id" uuid NOT NULL, "key" character varying(200) NOT NULL, "request_hash" character(64) NOT NULL, "response_status" integer, "response_body" jsonb, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_9bc0c30f480ca1ce0cec0dbc6f2" PRIMARY KEY ("actor_id", "key"))`);
        await queryRunner.query(`CREATE INDEX "idempotency_key_created_idx" ON "idempotency_key"  ("created_at") `);
        await queryRunner.query(`ALTER TABLE "idempotency_key" ADD CONSTRAINT "idempotency_key_actor_fk" FOREIGN KEY ("actor_id") REFERENCES "app_user"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "idempotency_key" DROP CONSTRAINT "idempotency_key_actor_fk"`);
        await queryRunner.query(`DROP INDEX "public"."idempotency_key_created_idx"`);
        await queryRunner.query(`DROP TABLE "idempotency_key"`);
    }

}
