import { MigrationInterface, QueryRunner } from "typeorm";

/** Referrals: the referral, its history (referral_event) and the per-unit reference counter. */

export class Referrals1795916955562 implements MigrationInterface {
    name = 'Referrals1795916955562'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TYPE "public"."referral_priority" AS ENUM('emergency', 'urgent', 'routine')`);
        await queryRunner.query(`CREATE TYPE "public"."referral_status" AS ENUM('draft', 'sent', 'accepted', 'in_progress', 'completed', 'not_completed', 'declined', 'cancelled')`);
        await queryRunner.query(`CREATE TABLE "referral" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "reference" character varying(40) NOT NULL, "case_id" uuid NOT NULL, "need_id" uuid NOT NULL, "category" "public"."need_category" NOT NULL, "service_id" uuid NOT NULL, "service_at_location_id" uuid NOT NULL, "unit_id" uuid NOT NULL, "provider_organisation_id" uuid NOT NULL, "referred_by_id" uuid NOT NULL, "priority" "public"."referral_priority" NOT NULL, "status" "public"."referral_status" NOT NULL DEFAULT 'draft', "version" integer NOT NULL DEFAULT '0', "shared_fields" "public"."shareable_field" array NOT NULL DEFAULT '{}', "note_enc" text, "consent_id" uuid, "sent_at" TIMESTAMP WITH TIME ZONE, "response_due_at" TIMESTAMP WITH TIME ZONE, "answered_at" TIMESTAMP WITH TIME ZONE, "started_at" TIMESTAMP WITH TIME ZONE, "closed_at" TIMESTAMP WITH TIME ZONE, "appointment_at" TIMESTAMP WITH TIME ZONE, "reason_code" character varying(40), "reason_text_enc" text, "outcome_code" character varying(40), "previous_referral_id" uuid, "proposed_service_at_location_id" uuid, "reminded_at" TIMESTAMP WITH TIME ZONE, "escalated_at" TIMESTAMP WITH TIME ZONE, "is_demo" boolean NOT NULL DEFAULT false, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_a2d3e935a6591168066defec5ad" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE UNIQUE INDEX "referral_reference_uq" ON "referral"  ("reference") `);
        await queryRunner.query(`CREATE INDEX "referral_overdue_idx" ON "referral"  ("response_due_at") WHERE status = 'sent'`);
        await queryRunner.query(`CREATE INDEX "referral_service_status_idx" ON "referral"  ("service_id", "status") `);
        await queryRunner.query(`CREATE INDEX "referral_case_idx" ON "referral"  ("case_id") `);
        await queryRunner.query(`CREATE INDEX "referral_created_idx" ON "referral"  ("created_at", "id") `);
        await queryRunner.query(`CREATE INDEX "referral_provider_created_idx" ON "referral"  ("provider_organisation_id", "created_at", "id") `);
        await queryRunner.query(`CREATE INDEX "referral_unit_created_idx" ON "referral"  ("unit_id", "created_at", "id") `);
        await queryRunner.query(`CREATE TABLE "referral_event" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "referral_id" uuid NOT NULL, "actor_id" uuid, "action" character varying(20) NOT NULL, "from_status" "public"."referral_status", "to_status" "public"."referral_status" NOT NULL, "reason_code" character varying(40), "reason_text_enc" text, "outcome_code" character varying(40), "at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT clock_timestamp(), CONSTRAINT "PK_1f356dbe2fffc9e93b0132e1216" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "referral_event_referral_idx" ON "referral_event"  ("referral_id", "at", "id") `);
        await queryRunner.query(`CREATE TABLE "referral_counter" ("unit_id" uuid NOT NULL, "year" integer NOT NULL, "last_number" integer NOT NULL, CONSTRAINT "PK_0e95d9254e8c7c8c85fcb10e505" PRIMARY KEY ("unit_id", "year"))`);
        await queryRunner.query(`ALTER TABLE "referral" ADD CONSTRAINT "referral_case_fk" FOREIGN KEY ("case_id") REFERENCES "case_file"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "referral" ADD CONSTRAINT "referral_need_fk" FOREIGN KEY ("need_id") REFERENCES "case_need"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "referral" ADD CONSTRAINT "referral_service_fk" FOREIGN KEY ("service_id") REFERENCES "service"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "referral" ADD CONSTRAINT "referral_service_at_location_fk" FOREIGN KEY ("service_at_location_id") REFERENCES "service_at_location"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "referral" ADD CONSTRAINT "referral_unit_fk" FOREIGN KEY ("unit_id") REFERENCES "organisation"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "referral" ADD CONSTRAINT "referral_provider_fk" FOREIGN KEY ("provider_organisation_id") REFERENCES "organisation"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "referral" ADD CONSTRAINT "referral_referred_by_fk" FOREIGN KEY ("referred_by_id") REFERENCES "app_user"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "referral" ADD CONSTRAINT "referral_consent_fk" FOREIGN KEY ("consent_id") REFERENCES "consent"("id") ON DELETE SET NULL ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "referral" ADD CONSTRAINT "referral_previous_fk" FOREIGN KEY ("previous_referral_id") REFERENCES "referral"("id") ON DELETE SET NULL ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "referral" ADD CONSTRAINT "referral_proposed_sal_fk" FOREIGN KEY ("proposed_service_at_location_id") REFERENCES "service_at_location"("id") ON DELETE SET NULL ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "referral_event" ADD CONSTRAINT "referral_event_referral_fk" FOREIGN KEY ("referral_id") REFERENCES "referral"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "referral_event" ADD CONSTRAINT "referral_event_actor_fk" FOREIGN KEY ("actor_id") REFERENCES "app_user"("id") ON DELETE SET NULL ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "referral_counter" ADD CONSTRAINT "referral_counter_unit_fk" FOREIGN KEY ("unit_id") REFERENCES "organisation"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "referral_counter" DROP CONSTRAINT "referral_counter_unit_fk"`);
        await queryRunner.query(`ALTER TABLE "referral_event" DROP CONSTRAINT "referral_event_actor_fk"`);
        await queryRunner.query(`ALTER TABLE "referral_event" DROP CONSTRAINT "referral_event_referral_fk"`);
        await queryRunner.query(`ALTER TABLE "referral" DROP CONSTRAINT "referral_proposed_sal_fk"`);
        await queryRunner.query(`ALTER TABLE "referral" DROP CONSTRAINT "referral_previous_fk"`);
        await queryRunner.query(`ALTER TABLE "referral" DROP CONSTRAINT "referral_consent_fk"`);
        await queryRunner.query(`ALTER TABLE "referral" DROP CONSTRAINT "referral_referred_by_fk"`);
        await queryRunner.query(`ALTER TABLE "referral" DROP CONSTRAINT "referral_provider_fk"`);
        await queryRunner.query(`ALTER TABLE "referral" DROP CONSTRAINT "referral_unit_fk"`);
        await queryRunner.query(`ALTER TABLE "referral" DROP CONSTRAINT "referral_service_at_location_fk"`);
        await queryRunner.query(`ALTER TABLE "referral" DROP CONSTRAINT "referral_service_fk"`);
        await queryRunner.query(`ALTER TABLE "referral" DROP CONSTRAINT "referral_need_fk"`);
        await queryRunner.query(`ALTER TABLE "referral" DROP CONSTRAINT "referral_case_fk"`);
        await queryRunner.query(`DROP TABLE "referral_counter"`);
        await queryRunner.query(`DROP INDEX "public"."referral_event_referral_idx"`);
        await queryRunner.query(`DROP TABLE "referral_event"`);
        await queryRunner.query(`DROP INDEX "public"."referral_unit_created_idx"`);
        await queryRunner.query(`DROP INDEX "public"."referral_provider_created_idx"`);
        await queryRunner.query(`DROP INDEX "public"."referral_created_idx"`);
        await queryRunner.query(`DROP INDEX "public"."referral_case_idx"`);
        await queryRunner.query(`DROP INDEX "public"."referral_service_status_idx"`);
        await queryRunner.query(`DROP INDEX "public"."referral_overdue_idx"`);
        await queryRunner.query(`DROP INDEX "public"."referral_reference_uq"`);
        await queryRunner.query(`DROP TABLE "referral"`);
        await queryRunner.query(`DROP TYPE "public"."referral_status"`);
        await queryRunner.query(`DROP TYPE "public"."referral_priority"`);
    }

}
