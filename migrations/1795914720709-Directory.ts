import { MigrationInterface, QueryRunner } from "typeorm";

/**
 * The service directory (HSDS 3.1 aligned). Generated from the entities, plus by hand: the
 * unaccent/pg_trgm extensions, `directory_fold()` (an IMMUTABLE wrapper that lower-cases, removes
 * Latin accents and folds Arabic: harakat and tatweel removed, alef forms → ا, ى → ي, ة → ه) and the
 * GIN indexes for category/population filters, full text and the trigram index of the typo lexicon.
 */

export class Directory1795914720709 implements MigrationInterface {
    name = 'Directory1795914720709'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE EXTENSION IF NOT EXISTS unaccent`);
        await queryRunner.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
        await queryRunner.query(`CREATE OR REPLACE FUNCTION directory_fold(t text) RETURNS text LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$ SELECT lower(translate(public.unaccent('public.unaccent'::regdictionary, t), U&'\\0623\\0625\\0622\\0671\\0649\\0629\\064B\\064C\\064D\\064E\\064F\\0650\\0651\\0652\\0670\\0640', U&'\\0627\\0627\\0627\\0627\\064A\\0647')) $$`);
        await queryRunner.query(`CREATE TABLE "directory_organisation" ("organisation_id" uuid NOT NULL, "alternate_name" character varying(300), "description_fr" text, "description_ar" text, "description_en" text, "email" character varying(254), "website" character varying(500), "phone" character varying(40), "last_modified" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_by_id" uuid, CONSTRAINT "PK_ee6eda34cfd8d043505869729f6" PRIMARY KEY ("organisation_id"))`);
        await queryRunner.query(`CREATE TYPE "public"."service_status" AS ENUM('active', 'inactive', 'defunct', 'temporarily closed')`);
        await queryRunner.query(`CREATE TYPE "public"."service_tier" AS ENUM('public', 'partners', 'restricted')`);
        await queryRunner.query(`CREATE TYPE "public"."capacity_status" AS ENUM('accepting', 'waiting_list', 'not_accepting')`);
        await queryRunner.query(`CREATE TABLE "service" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organisation_id" uuid NOT NULL, "region_id" uuid, "province_id" uuid, "name_fr" character varying(300), "name_ar" character varying(300), "name_en" character varying(300), "alternate_name" character varying(300), "description_fr" text, "description_ar" text, "description_en" text, "eligibility_fr" text, "eligibility_ar" text, "eligibility_en" text, "url" character varying(500), "email" character varying(254), "status" "public"."service_status" NOT NULL DEFAULT 'active', "tier" "public"."service_tier" NOT NULL DEFAULT 'public', "capacity_status" "public"."capacity_status" NOT NULL DEFAULT 'accepting', "categories" character varying(40) array NOT NULL DEFAULT '{}', "populations" character varying(40) array NOT NULL DEFAULT '{}', "free_of_charge" boolean NOT NULL DEFAULT false, "no_documents_required" boolean NOT NULL DEFAULT false, "interpreter_available" boolean NOT NULL DEFAULT false, "fees_description" text, "application_process" text, "wait_time" character varying(300), "alert" text, "minimum_age" integer, "maximum_age" integer, "assured_date" date, "assurer_email" character varying(254), "response_hours_emergency" integer, "response_hours_urgent" integer, "response_hours_routine" integer, "search_document" tsvector, "is_demo" boolean NOT NULL DEFAULT false, "version" integer NOT NULL DEFAULT '0', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "last_modified" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_by_id" uuid, CONSTRAINT "PK_85a21558c006647cd76fdce044b" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "service_organisation_idx" ON "service"  ("organisation_id") `);
        await queryRunner.query(`CREATE INDEX "service_region_idx" ON "service"  ("region_id") `);
        await queryRunner.query(`CREATE INDEX "service_province_idx" ON "service"  ("province_id") `);
        await queryRunner.query(`CREATE INDEX "service_last_modified_idx" ON "service"  ("last_modified") `);
        await queryRunner.query(`CREATE INDEX "service_created_idx" ON "service"  ("created_at", "id") `);
        await queryRunner.query(`CREATE TABLE "location" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organisation_id" uuid NOT NULL, "location_type" character varying(20) NOT NULL DEFAULT 'physical', "name" character varying(300), "description" text, "transportation" text, "latitude" double precision, "longitude" double precision, "address_id" uuid NOT NULL, "address1" character varying(300), "address2" character varying(300), "city" character varying(120), "postal_code" character varying(20), "country" character varying(2) NOT NULL DEFAULT 'MA', "province_id" uuid, "is_demo" boolean NOT NULL DEFAULT false, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "last_modified" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_876d7bdba03c72251ec4c2dc827" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "location_lat_lon_idx" ON "location"  ("latitude", "longitude") `);
        await queryRunner.query(`CREATE INDEX "location_organisation_idx" ON "location"  ("organisation_id") `);
        await queryRunner.query(`CREATE TABLE "service_at_location" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "service_id" uuid NOT NULL, "location_id" uuid NOT NULL, "description" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_736a1a1628a3a0ac275eb30fdfa" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "service_at_location_created_idx" ON "service_at_location"  ("created_at", "id") `);
        await queryRunner.query(`CREATE INDEX "service_at_location_location_idx" ON "service_at_location"  ("location_id") `);
        await queryRunner.query(`CREATE UNIQUE INDEX "service_at_location_service_location_uq" ON "service_at_location"  ("service_id", "location_id") `);
        await queryRunner.query(`CREATE TABLE "service_phone" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "service_id" uuid NOT NULL, "number" character varying(40) NOT NULL, "type" character varying(20), "description" character varying(300), "languages" character varying(10) array NOT NULL DEFAULT '{}', CONSTRAINT "PK_79ccba4955a15c75b15b6724060" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "service_phone_service_idx" ON "service_phone"  ("service_id") `);
        await queryRunner.query(`CREATE TABLE "service_contact" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "service_id" uuid NOT NULL, "name" character varying(200), "title" character varying(200), "email" character varying(254), "phone" character varying(40), CONSTRAINT "PK_69f5c3771974bee73c979f8db45" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "service_contact_service_idx" ON "service_contact"  ("service_id") `);
        await queryRunner.query(`CREATE TABLE "service_schedule" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "service_id" uuid NOT NULL, "byday" character varying(2) array NOT NULL, "opens_at" TIME NOT NULL, "closes_at" TIME NOT NULL, "valid_from" date, "valid_to" date, "description" character varying(300), "notes" character varying(300), CONSTRAINT "service_schedule_hours_chk" CHECK (closes_at > opens_at), CONSTRAINT "PK_1c88a057ca24f3311e12ae2d0f2" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "service_schedule_service_idx" ON "service_schedule"  ("service_id") `);
        await queryRunner.query(`CREATE TABLE "service_language" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "service_id" uuid NOT NULL, "code" character varying(10) NOT NULL, "note" character varying(300), CONSTRAINT "PK_f06a3ff04644cec0e6e286fa879" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "service_language_code_idx" ON "service_language"  ("code", "service_id") `);
        await queryRunner.query(`CREATE UNIQUE INDEX "service_language_service_code_uq" ON "service_language"  ("service_id", "code") `);
        await queryRunner.query(`CREATE TABLE "cost_option" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "service_id" uuid NOT NULL, "option" character varying(300), "amount" double precision, "currency" character varying(3), "amount_description" character varying(300), CONSTRAINT "PK_ff5b11c2af08eb6501b00d74bc8" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "cost_option_service_idx" ON "cost_option"  ("service_id") `);
        await queryRunner.query(`CREATE TABLE "required_document" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "service_id" uuid NOT NULL, "document" character varying(300) NOT NULL, "uri" character varying(500), CONSTRAINT "PK_300ed345f09c863bbb1b3de7f2a" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "required_document_service_idx" ON "required_document"  ("service_id") `);
        await queryRunner.query(`CREATE TABLE "service_area" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "service_id" uuid NOT NULL, "name" character varying(300), "description" text, "place_id" uuid, CONSTRAINT "PK_9daeb85378e2c59f1d2e68665cb" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "service_area_service_idx" ON "service_area"  ("service_id") `);
        await queryRunner.query(`CREATE TABLE "service_capacity" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "service_id" uuid NOT NULL, "unit_id" uuid NOT NULL, "unit_name" character varying(100) NOT NULL, "available" integer NOT NULL, "maximum" integer, "description" character varying(300), "updated" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_8f93a851d898bd3c70418732f4d" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "service_capacity_service_idx" ON "service_capacity"  ("service_id") `);
        await queryRunner.query(`CREATE TABLE "focal_point" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "service_id" uuid NOT NULL, "user_id" uuid, "email" character varying(254), "name" character varying(200), "language" "public"."language" NOT NULL DEFAULT 'fr', CONSTRAINT "focal_point_who_chk" CHECK (user_id IS NOT NULL OR email IS NOT NULL), CONSTRAINT "PK_bd1c205fd7ce096de2360673d1e" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "focal_point_user_idx" ON "focal_point"  ("user_id") `);
        await queryRunner.query(`CREATE INDEX "focal_point_service_idx" ON "focal_point"  ("service_id") `);
        await queryRunner.query(`CREATE TABLE "service_response_stats" ("service_id" uuid NOT NULL, "median_response_hours" double precision, "sample_size" integer NOT NULL DEFAULT '0', "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_829709cc487bdc0e4b68e29c2fc" PRIMARY KEY ("service_id"))`);
        await queryRunner.query(`CREATE TABLE "directory_search_word" ("word" text NOT NULL, CONSTRAINT "PK_4c9807db6941b71d7ed8f2c404c" PRIMARY KEY ("word"))`);
        await queryRunner.query(`ALTER TABLE "directory_organisation" ADD CONSTRAINT "directory_organisation_organisation_fk" FOREIGN KEY ("organisation_id") REFERENCES "organisation"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "directory_organisation" ADD CONSTRAINT "directory_organisation_updated_by_fk" FOREIGN KEY ("updated_by_id") REFERENCES "app_user"("id") ON DELETE SET NULL ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "service" ADD CONSTRAINT "service_organisation_fk" FOREIGN KEY ("organisation_id") REFERENCES "organisation"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "service" ADD CONSTRAINT "service_region_fk" FOREIGN KEY ("region_id") REFERENCES "place"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "service" ADD CONSTRAINT "service_province_fk" FOREIGN KEY ("province_id") REFERENCES "place"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "service" ADD CONSTRAINT "service_updated_by_fk" FOREIGN KEY ("updated_by_id") REFERENCES "app_user"("id") ON DELETE SET NULL ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "location" ADD CONSTRAINT "location_organisation_fk" FOREIGN KEY ("organisation_id") REFERENCES "organisation"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "location" ADD CONSTRAINT "location_province_fk" FOREIGN KEY ("province_id") REFERENCES "place"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "service_at_location" ADD CONSTRAINT "service_at_location_service_fk" FOREIGN KEY ("service_id") REFERENCES "service"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "service_at_location" ADD CONSTRAINT "service_at_location_location_fk" FOREIGN KEY ("location_id") REFERENCES "location"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "service_phone" ADD CONSTRAINT "service_phone_service_fk" FOREIGN KEY ("service_id") REFERENCES "service"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "service_contact" ADD CONSTRAINT "service_contact_service_fk" FOREIGN KEY ("service_id") REFERENCES "service"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "service_schedule" ADD CONSTRAINT "service_schedule_service_fk" FOREIGN KEY ("service_id") REFERENCES "service"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "service_language" ADD CONSTRAINT "service_language_service_fk" FOREIGN KEY ("service_id") REFERENCES "service"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "cost_option" ADD CONSTRAINT "cost_option_service_fk" FOREIGN KEY ("service_id") REFERENCES "service"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "required_document" ADD CONSTRAINT "required_document_service_fk" FOREIGN KEY ("service_id") REFERENCES "service"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "service_area" ADD CONSTRAINT "service_area_service_fk" FOREIGN KEY ("service_id") REFERENCES "service"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "service_area" ADD CONSTRAINT "service_area_place_fk" FOREIGN KEY ("place_id") REFERENCES "place"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "service_capacity" ADD CONSTRAINT "service_capacity_service_fk" FOREIGN KEY ("service_id") REFERENCES "service"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "focal_point" ADD CONSTRAINT "focal_point_service_fk" FOREIGN KEY ("service_id") REFERENCES "service"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "focal_point" ADD CONSTRAINT "focal_point_user_fk" FOREIGN KEY ("user_id") REFERENCES "app_user"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "service_response_stats" ADD CONSTRAINT "service_response_stats_service_fk" FOREIGN KEY ("service_id") REFERENCES "service"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`CREATE INDEX "service_categories_gin" ON "service" USING gin ("categories")`);
        await queryRunner.query(`CREATE INDEX "service_populations_gin" ON "service" USING gin ("populations")`);
        await queryRunner.query(`CREATE INDEX "service_search_document_gin" ON "service" USING gin ("search_document")`);
        await queryRunner.query(`CREATE INDEX "directory_search_word_trgm" ON "directory_search_word" USING gin ("word" gin_trgm_ops)`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "public"."directory_search_word_trgm"`);
        await queryRunner.query(`DROP INDEX "public"."service_search_document_gin"`);
        await queryRunner.query(`DROP INDEX "public"."service_populations_gin"`);
        await queryRunner.query(`DROP INDEX "public"."service_categories_gin"`);
        await queryRunner.query(`ALTER TABLE "service_response_stats" DROP CONSTRAINT "service_response_stats_service_fk"`);
        await queryRunner.query(`ALTER TABLE "focal_point" DROP CONSTRAINT "focal_point_user_fk"`);
        await queryRunner.query(`ALTER TABLE "focal_point" DROP CONSTRAINT "focal_point_service_fk"`);
        await queryRunner.query(`ALTER TABLE "service_capacity" DROP CONSTRAINT "service_capacity_service_fk"`);
        await queryRunner.query(`ALTER TABLE "service_area" DROP CONSTRAINT "service_area_place_fk"`);
        await queryRunner.query(`ALTER TABLE "service_area" DROP CONSTRAINT "service_area_service_fk"`);
        await queryRunner.query(`ALTER TABLE "required_document" DROP CONSTRAINT "required_document_service_fk"`);
        await queryRunner.query(`ALTER TABLE "cost_option" DROP CONSTRAINT "cost_option_service_fk"`);
        await queryRunner.query(`ALTER TABLE "service_language" DROP CONSTRAINT "service_language_service_fk"`);
        await queryRunner.query(`ALTER TABLE "service_schedule" DROP CONSTRAINT "service_schedule_service_fk"`);
        await queryRunner.query(`ALTER TABLE "service_contact" DROP CONSTRAINT "service_contact_service_fk"`);
        await queryRunner.query(`ALTER TABLE "service_phone" DROP CONSTRAINT "service_phone_service_fk"`);
        await queryRunner.query(`ALTER TABLE "service_at_location" DROP CONSTRAINT "service_at_location_location_fk"`);
        await queryRunner.query(`ALTER TABLE "service_at_location" DROP CONSTRAINT "service_at_location_service_fk"`);
        await queryRunner.query(`ALTER TABLE "location" DROP CONSTRAINT "location_province_fk"`);
        await queryRunner.query(`ALTER TABLE "location" DROP CONSTRAINT "location_organisation_fk"`);
        await queryRunner.query(`ALTER TABLE "service" DROP CONSTRAINT "service_updated_by_fk"`);
        await queryRunner.query(`ALTER TABLE "service" DROP CONSTRAINT "service_province_fk"`);
        await queryRunner.query(`ALTER TABLE "service" DROP CONSTRAINT "service_region_fk"`);
        await queryRunner.query(`ALTER TABLE "service" DROP CONSTRAINT "service_organisation_fk"`);
        await queryRunner.query(`ALTER TABLE "directory_organisation" DROP CONSTRAINT "directory_organisation_updated_by_fk"`);
        await queryRunner.query(`ALTER TABLE "directory_organisation" DROP CONSTRAINT "directory_organisation_organisation_fk"`);
        await queryRunner.query(`DROP TABLE "directory_search_word"`);
        await queryRunner.query(`DROP TABLE "service_response_stats"`);
        await queryRunner.query(`DROP INDEX "public"."focal_point_service_idx"`);
        await queryRunner.query(`DROP INDEX "public"."focal_point_user_idx"`);
        await queryRunner.query(`DROP TABLE "focal_point"`);
        await queryRunner.query(`DROP INDEX "public"."service_capacity_service_idx"`);
        await queryRunner.query(`DROP TABLE "service_capacity"`);
        await queryRunner.query(`DROP INDEX "public"."service_area_service_idx"`);
        await queryRunner.query(`DROP TABLE "service_area"`);
        await queryRunner.query(`DROP INDEX "public"."required_document_service_idx"`);
        await queryRunner.query(`DROP TABLE "required_document"`);
        await queryRunner.query(`DROP INDEX "public"."cost_option_service_idx"`);
        await queryRunner.query(`DROP TABLE "cost_option"`);
        await queryRunner.query(`DROP INDEX "public"."service_language_service_code_uq"`);
        await queryRunner.query(`DROP INDEX "public"."service_language_code_idx"`);
        await queryRunner.query(`DROP TABLE "service_language"`);
        await queryRunner.query(`DROP INDEX "public"."service_schedule_service_idx"`);
        await queryRunner.query(`DROP TABLE "service_schedule"`);
        await queryRunner.query(`DROP INDEX "public"."service_contact_service_idx"`);
        await queryRunner.query(`DROP TABLE "service_contact"`);
        await queryRunner.query(`DROP INDEX "public"."service_phone_service_idx"`);
        await queryRunner.query(`DROP TABLE "service_phone"`);
        await queryRunner.query(`DROP INDEX "public"."service_at_location_service_location_uq"`);
        await queryRunner.query(`DROP INDEX "public"."service_at_location_location_idx"`);
        await queryRunner.query(`DROP INDEX "public"."service_at_location_created_idx"`);
        await queryRunner.query(`DROP TABLE "service_at_location"`);
        await queryRunner.query(`DROP INDEX "public"."location_organisation_idx"`);
        await queryRunner.query(`DROP INDEX "public"."location_lat_lon_idx"`);
        await queryRunner.query(`DROP TABLE "location"`);
        await queryRunner.query(`DROP INDEX "public"."service_created_idx"`);
        await queryRunner.query(`DROP INDEX "public"."service_last_modified_idx"`);
        await queryRunner.query(`DROP INDEX "public"."service_province_idx"`);
        await queryRunner.query(`DROP INDEX "public"."service_region_idx"`);
        await queryRunner.query(`DROP INDEX "public"."service_organisation_idx"`);
        await queryRunner.query(`DROP TABLE "service"`);
        await queryRunner.query(`DROP TYPE "public"."capacity_status"`);
        await queryRunner.query(`DROP TYPE "public"."service_tier"`);
        await queryRunner.query(`DROP TYPE "public"."service_status"`);
        await queryRunner.query(`DROP TABLE "directory_organisation"`);
        await queryRunner.query(`DROP FUNCTION directory_fold(text)`);
    }

}
