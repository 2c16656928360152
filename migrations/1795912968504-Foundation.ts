import { MigrationInterface, QueryRunner } from "typeorm";

export class Foundation1795912968504 implements MigrationInterface {
    name = 'Foundation1795912968504'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TYPE "public"."place_level" AS ENUM('country', 'region', 'province', 'commune')`);
        await queryRunner.query(`CREATE TABLE "place" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "code" character varying(40) NOT NULL, "level" "public"."place_level" NOT NULL, "name_fr" character varying(200) NOT NULL, "name_ar" character varying(200) NOT NULL, "parent_id" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_96ab91d43aa89c5de1b59ee7cca" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE UNIQUE INDEX "place_code_uq" ON "place"  ("code") `);
        await queryRunner.query(`CREATE INDEX "place_parent_idx" ON "place"  ("parent_id") `);
        await queryRunner.query(`CREATE TYPE "public"."outbox_status" AS ENUM('pending', 'sent', 'failed')`);
        await queryRunner.query(`CREATE TABLE "outbox_message" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "recipient" character varying(254) NOT NULL, "subject" character varying(300) NOT NULL, "body" text NOT NULL, "kind" character varying(60) NOT NULL, "dedupe_key" character varying(200), "status" "public"."outbox_status" NOT NULL DEFAULT 'pending', "attempts" integer NOT NULL DEFAULT '0', "next_attempt_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "last_error" character varying(300), "sent_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_2f36ee5236f2793f3e7bd554589" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE UNIQUE INDEX "outbox_message_dedupe_uq" ON "outbox_message"  ("dedupe_key") WHERE dedupe_key IS NOT NULL`);
        await queryRunner.query(`CREATE INDEX "outbox_message_created_idx" ON "outbox_message"  ("created_at", "id") `);
        await queryRunner.query(`CREATE INDEX "outbox_message_due_idx" ON "outbox_message"  ("next_attempt_at") WHERE status = 'pending'`);
        await queryRunner.query(`CREATE TYPE "public"."organisation_type" AS ENUM('counselling_unit', 'service_provider', 'coordination_body', 'programme')`);
        await queryRunner.query(`CREATE TABLE "organisation" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "name" character varying(300) NOT NULL, "code" character varying(10), "type" "public"."organisation_type" NOT NULL, "region_id" uuid, "province_id" uuid, "status" character varying(20) NOT NULL DEFAULT 'active', "is_demo" boolean NOT NULL DEFAULT false, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_c725ae234ef1b74cce43d2d00c1" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE UNIQUE INDEX "organisation_code_uq" ON "organisation"  ("code") WHERE code IS NOT NULL`);
        await queryRunner.query(`CREATE INDEX "organisation_region_idx" ON "organisation"  ("region_id") `);
        await queryRunner.query(`CREATE INDEX "organisation_created_idx" ON "organisation"  ("created_at", "id") `);
        await queryRunner.query(`CREATE TYPE "public"."role" AS ENUM('admin', 'supervisor', 'counsellor', 'provider', 'coordinator', 'analyst')`);
        await queryRunner.query(`CREATE TYPE "public"."language" AS ENUM('fr', 'ar', 'en')`);
        await queryRunner.query(`CREATE TYPE "public"."user_status" AS ENUM('invited', 'active', 'disabled')`);
        await queryRunner.query(`CREATE TABLE "app_user" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "email" character varying(254) NOT NULL, "display_name" character varying(200) NOT NULL, "password_hash" character varying(200), "organisation_id" uuid NOT NULL, "roles" "public"."role" array NOT NULL, "language" "public"."language" NOT NULL DEFAULT 'fr', "status" "public"."user_status" NOT NULL DEFAULT 'invited', "token_version" integer NOT NULL DEFAULT '0', "failed_logins" integer NOT NULL DEFAULT '0', "locked_until" TIMESTAMP WITH TIME ZONE, "mfa_secret" text, "mfa_enabled" boolean NOT NULL DEFAULT false, "last_login_at" TIMESTAMP WITH TIME ZONE, "is_demo" boolean NOT NULL DEFAULT false, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_22a5c4a3d9b2fb8e4e73fc4ada1" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE UNIQUE INDEX "app_user_email_uq" ON "app_user"  ("email") `);
        await queryRunner.query(`CREATE INDEX "app_user_created_idx" ON "app_user"  ("created_at", "id") `);
        await queryRunner.query(`CREATE INDEX "app_user_org_created_idx" ON "app_user"  ("organisation_id", "created_at", "id") `);
        await queryRunner.query(`CREATE TABLE "refresh_token" ("id" uuid NOT NULL, "family_id" uuid NOT NULL, "user_id" uuid NOT NULL, "secret_hash" character varying(64) NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "used_at" TIMESTAMP WITH TIME ZONE, "revoked_at" TIMESTAMP WITH TIME ZONE, "mfa" boolean NOT NULL DEFAULT false, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_b575dd3c21fb0831013c909e7fe" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "refresh_token_family_idx" ON "refresh_token"  ("family_id") `);
        await queryRunner.query(`CREATE INDEX "refresh_token_user_idx" ON "refresh_token"  ("user_id") `);
        await queryRunner.query(`CREATE TABLE "user_token" ("id" uuid NOT NULL, "user_id" uuid NOT NULL, "purpose" character varying(20) NOT NULL, "secret_hash" character varying(64) NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "used_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_48cb6b5c20faa63157b3c1baf7f" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "user_token_user_idx" ON "user_token"  ("user_id") `);
        await queryRunner.query(`ALTER TABLE "place" ADD CONSTRAINT "place_parent_fk" FOREIGN KEY ("parent_id") REFERENCES "place"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "organisation" ADD CONSTRAINT "organisation_region_fk" FOREIGN KEY ("region_id") REFERENCES "place"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "organisation" ADD CONSTRAINT "organisation_province_fk" FOREIGN KEY ("province_id") REFERENCES "place"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "app_user" ADD CONSTRAINT "app_user_organisation_fk" FOREIGN KEY ("organisation_id") REFERENCES "organisation"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "refresh_token" ADD CONSTRAINT "refresh_token_user_fk" FOREIGN KEY ("user_id") REFERENCES "app_user"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "user_token" ADD CONSTRAINT "user_token_user_fk" FOREIGN KEY ("user_id") REFERENCES "app_user"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "user_token" DROP CONSTRAINT "user_token_user_fk"`);
        await queryRunner.query(`ALTER TABLE "refresh_token" DROP CONSTRAINT "refresh_token_user_fk"`);
        await queryRunner.query(`ALTER TABLE "app_user" DROP CONSTRAINT "app_user_organisation_fk"`);
        await queryRunner.query(`ALTER TABLE "organisation" DROP CONSTRAINT "organisation_province_fk"`);
        await queryRunner.query(`ALTER TABLE "organisation" DROP CONSTRAINT "organisation_region_fk"`);
        await queryRunner.query(`ALTER TABLE "place" DROP CONSTRAINT "place_parent_fk"`);
        await queryRunner.query(`DROP INDEX "public"."user_token_user_idx"`);
        await queryRunner.query(`DROP TABLE "user_token"`);
        await queryRunner.query(`DROP INDEX "public"."refresh_token_user_idx"`);
        await queryRunner.query(`DROP INDEX "public"."refresh_token_family_idx"`);
        await queryRunner.query(`DROP TABLE "refresh_token"`);
        await queryRunner.query(`DROP INDEX "public"."app_user_org_created_idx"`);
        await queryRunner.query(`DROP INDEX "public"."app_user_created_idx"`);
        await queryRunner.query(`DROP INDEX "public"."app_user_email_uq"`);
        await queryRunner.query(`DROP TABLE "app_user"`);
        await queryRunner.query(`DROP TYPE "public"."user_status"`);
        await queryRunner.query(`DROP TYPE "public"."language"`);
        await queryRunner.query(`DROP TYPE "public"."role"`);
        await queryRunner.query(`DROP INDEX "public"."organisation_created_idx"`);
        await queryRunner.query(`DROP INDEX "public"."organisation_region_idx"`);
        await queryRunner.query(`DROP INDEX "public"."organisation_code_uq"`);
        await queryRunner.query(`DROP TABLE "organisation"`);
        await queryRunner.query(`DROP TYPE "public"."organisation_type"`);
        await queryRunner.query(`DROP INDEX "public"."outbox_message_due_idx"`);
        await queryRunner.query(`DROP INDEX "public"."outbox_message_created_idx"`);
        await queryRunner.query(`DROP INDEX "public"."outbox_message_dedupe_uq"`);
        await queryRunner.query(`DROP TABLE "outbox_message"`);
        await queryRunner.query(`DROP TYPE "public"."outbox_status"`);
        await queryRunner.query(`DROP INDEX "public"."place_parent_idx"`);
        await queryRunner.query(`DROP INDEX "public"."place_code_uq"`);
        await queryRunner.query(`DROP TABLE "place"`);
        await queryRunner.query(`DROP TYPE "public"."place_level"`);
    }

}
