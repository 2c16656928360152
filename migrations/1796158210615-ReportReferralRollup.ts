import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The monthly referral roll-up (issue 15): referrals sent per month, referring unit, stage reached
 * (0 not accepted, 1 accepted, 2 closed without completion, 3 completed) and the person's sex, age
 * band when the referral was sent, population group and nationality group. Reporting reads whole months
 * listed in report_rollup_month from it and every other month from the referrals themselves, so
 * answers stay exact whatever the roll-up's age. The refresh job (ReportRollupJob) builds past
 * months; these triggers drop a built month from the list, in the writer's transaction, as soon as
 * a referral or a person behind it changes. The shared advisory lock pairs with the refresh's
 * exclusive one: a month is never built from a snapshot that misses a change committing meanwhile.
 */
export class ReportReferralRollup1796158210615 implements MigrationInterface {
  name = 'ReportReferralRollup1796158210615';

  public async up(q: QueryRunner): Promise<void> {
    // The index below reads every referral: not bound by the app's statement timeout when it migrates at start.
    await q.query(`SET LOCAL statement_timeout = 0`);
    await q.query(`CREATE TABLE "report_referral_month" (
      "month" date NOT NULL,
      "unit_id" uuid NOT NULL,
      "stage" smallint NOT NULL,
      "sex" text NOT NULL,
      "age_band" text NOT NULL,
      "population_group" text NOT NULL,
      "nationality_group" text NOT NULL,
      "referrals" integer NOT NULL,
      CONSTRAINT "report_referral_month_pk" PRIMARY KEY ("month", "unit_id", "stage", "sex", "age_band", "population_group", "nationality_group"))`);
    // "definition": a digest of the SQL a month was built with; a month built by other code counts as not built.
    await q.query(`CREATE TABLE "report_rollup_month" ("month" date NOT NULL, "definition" text NOT NULL, "built_at" timestamptz NOT NULL DEFAULT now(), CONSTRAINT "report_rollup_month_pk" PRIMARY KEY ("month"))`);
    // The months not (yet) in the roll-up are read from the referrals by the time they were sent.
    await q.query(`CREATE INDEX "referral_sent_at_idx" ON "referral" ("sent_at") INCLUDE ("unit_id", "status", "answered_at", "case_id") WHERE sent_at IS NOT NULL`);
    const month = (t: string) => `date_trunc('month', ${t}.sent_at AT TIME ZONE 'Africa/Casablanca')::date`;
    await q.query(`CREATE FUNCTION report_rollup_referrals_changed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_advisory_xact_lock_shared(${ROLLUP_LOCK});
        IF TG_OP = 'INSERT' THEN
          DELETE FROM report_rollup_month m USING (SELECT DISTINCT ${month('n')} AS month FROM new_rows n WHERE n.sent_at IS NOT NULL) x WHERE m.month = x.month;
        ELSIF TG_OP = 'DELETE' THEN
          DELETE FROM report_rollup_month m USING (SELECT DISTINCT ${month('o')} AS month FROM old_rows o WHERE o.sent_at IS NOT NULL) x WHERE m.month = x.month;
        ELSE
          DELETE FROM report_rollup_month m USING (
            SELECT ${month('o')} AS month FROM old_rows o JOIN new_rows n ON n.id = o.id
             WHERE o.sent_at IS NOT NULL AND (o.sent_at, o.status, o.answered_at, o.unit_id, o.case_id) IS DISTINCT FROM (n.sent_at, n.status, n.answered_at, n.unit_id, n.case_id)
            UNION SELECT ${month('n')} FROM old_rows o JOIN new_rows n ON n.id = o.id
             WHERE n.sent_at IS NOT NULL AND (o.sent_at, o.status, o.answered_at, o.unit_id, o.case_id) IS DISTINCT FROM (n.sent_at, n.status, n.answered_at, n.unit_id, n.case_id)) x
          WHERE m.month = x.month;
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`CREATE FUNCTION report_rollup_people_changed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_advisory_xact_lock_shared(${ROLLUP_LOCK});
        IF TG_TABLE_NAME = 'person' THEN
          DELETE FROM report_rollup_month m USING (
            SELECT DISTINCT ${month('r')} AS month FROM old_rows o JOIN new_rows n ON n.id = o.id
              JOIN case_file c ON c.person_id = n.id JOIN referral r ON r.case_id = c.id
             WHERE r.sent_at IS NOT NULL
               AND (o.sex, o.birth_date, o.age_band, o.nationality, o.population_group) IS DISTINCT FROM (n.sex, n.birth_date, n.age_band, n.nationality, n.population_group)) x
          WHERE m.month = x.month;
        ELSE
          DELETE FROM report_rollup_month m USING (
            SELECT DISTINCT ${month('r')} AS month FROM old_rows o JOIN new_rows n ON n.id = o.id
              JOIN referral r ON r.case_id = n.id
             WHERE r.sent_at IS NOT NULL AND o.person_id IS DISTINCT FROM n.person_id) x
          WHERE m.month = x.month;
        END IF;
        RETURN NULL;
      END $$`);
    for (const [event, refs] of [
      ['INSERT', 'NEW TABLE AS new_rows'],
      ['UPDATE', 'OLD TABLE AS old_rows NEW TABLE AS new_rows'],
      ['DELETE', 'OLD TABLE AS old_rows'],
    ] as const) {
      await q.query(`CREATE TRIGGER "referral_rollup_${event.toLowerCase()}" AFTER ${event} ON "referral" REFERENCING ${refs} FOR EACH STATEMENT EXECUTE FUNCTION report_rollup_referrals_changed()`);
    }
    await q.query(`CREATE TRIGGER "person_rollup_update" AFTER UPDATE ON "person" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION report_rollup_people_changed()`);
    await q.query(`CREATE TRIGGER "case_file_rollup_update" AFTER UPDATE ON "case_file" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION report_rollup_people_changed()`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER "case_file_rollup_update" ON "case_file"`);
    await q.query(`DROP TRIGGER "person_rollup_update" ON "person"`);
    for (const event of ['insert', 'update', 'delete']) await q.query(`DROP TRIGGER "referral_rollup_${event}" ON "referral"`);
    await q.query(`DROP FUNCTION report_rollup_people_changed()`);
    await q.query(`DROP FUNCTION report_rollup_referrals_changed()`);
    await q.query(`DROP INDEX "public"."referral_sent_at_idx"`);
    await q.query(`DROP TABLE "report_rollup_month"`);
    await q.query(`DROP TABLE "report_referral_month"`);
  }
}

/** Advisory lock key shared by the triggers (shared) and the refresh (exclusive): 'rollup' in ASCII. */
export const ROLLUP_LOCK = 0x726f6c6c7570;
