import { MigrationInterface, QueryRunner } from "typeorm";

export class Activities1795913841340 implements MigrationInterface {
    name = 'Activities1795913841340'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TYPE "public"."activity_kind" AS ENUM('training', 'workshop', 'fair', 'symposium')`);
        await queryRunner.query(`CREATE TABLE "activity" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "kind" "public"."activity_kind" NOT NULL, "topic" character varying(300) NOT NULL, "held_on" date NOT NULL, "place_id" uuid NOT NULL, "region_id" uuid NOT NULL, "province_id" uuid, "organiser_organisation_id" uuid NOT NULL, "created_by_id" uuid, "is_demo" boolean NOT NULL DEFAULT false, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_24625a1d6b1b089c8ae206fe467" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "activity_kind_held_idx" ON "activity"  ("kind", "held_on") `);
        await queryRunner.query(`CREATE INDEX "activity_region_held_idx" ON "activity"  ("region_id", "held_on") `);
        await queryRunner.query(`CREATE INDEX "activity_created_idx" ON "activity"  ("created_at", "id") `);
        await queryRunner.query(`CREATE TYPE "public"."participant_organisation_type" AS ENUM('government', 'local_authority', 'public_service', 'civil_society', 'migrant_association', 'private_sector', 'academia', 'international_organisation', 'other')`);
        await queryRunner.query(`CREATE TYPE "public"."participant_sex" AS ENUM('female', 'male', 'other', 'unknown')`);
        await queryRunner.query(`CREATE TABLE "activity_participation" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "activity_id" uuid NOT NULL, "organisation_type" "public"."participant_organisation_type" NOT NULL, "sex" "public"."participant_sex" NOT NULL, "count" integer NOT NULL, CONSTRAINT "activity_participation_count_ck" CHECK ("count" > 0), CONSTRAINT "PK_0d7c596c9d6e7a4c6aba527e87d" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE UNIQUE INDEX "activity_participation_uq" ON "activity_participation"  ("activity_id", "organisation_type", "sex") `);
        await queryRunner.query(`ALTER TABLE "activity" ADD CONSTRAINT "activity_place_fk" FOREIGN KEY ("place_id") REFERENCES "place"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "activity" ADD CONSTRAINT "activity_region_fk" FOREIGN KEY ("region_id") REFERENCES "place"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "activity" ADD CONSTRAINT "activity_province_fk" FOREIGN KEY ("province_id") REFERENCES "place"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "activity" ADD CONSTRAINT "activity_organiser_fk" FOREIGN KEY ("organiser_organisation_id") REFERENCES "organisation"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "activity" ADD CONSTRAINT "activity_created_by_fk" FOREIGN KEY ("created_by_id") REFERENCES "app_user"("id") ON DELETE SET NULL ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "activity_participation" ADD CONSTRAINT "activity_participation_activity_fk" FOREIGN KEY ("activity_id") REFERENCES "activity"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "activity_participation" DROP CONSTRAINT "activity_participation_activity_fk"`);
        await queryRunner.query(`ALTER TABLE "activity" DROP CONSTRAINT "activity_created_by_fk"`);
        await queryRunner.query(`ALTER TABLE "activity" DROP CONSTRAINT "activity_organiser_fk"`);
        await queryRunner.query(`ALTER TABLE "activity" DROP CONSTRAINT "activity_province_fk"`);
        await queryRunner.query(`ALTER TABLE "activity" DROP CONSTRAINT "activity_region_fk"`);
        await queryRunner.query(`ALTER TABLE "activity" DROP CONSTRAINT "activity_place_fk"`);
        await queryRunner.query(`DROP INDEX "public"."activity_participation_uq"`);
        await queryRunner.query(`DROP TABLE "activity_participation"`);
        await queryRunner.query(`DROP TYPE "public"."participant_sex"`);
        await queryRunner.query(`DROP TYPE "public"."participant_organisation_type"`);
        await queryRunner.query(`DROP INDEX "public"."activity_created_idx"`);
        await queryRunner.query(`DROP INDEX "public"."activity_region_held_idx"`);
        await queryRunner.query(`DROP INDEX "public"."activity_kind_held_idx"`);
        await queryRunner.query(`DROP TABLE "activity"`);
        await queryRunner.query(`DROP TYPE "public"."activity_kind"`);
    }

}
