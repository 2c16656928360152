import { MigrationInterface, QueryRunner } from 'typeorm';

/** Register imports: batches (their state, so an import resumes after a restart), row issues, imported cases, remembered mappings. */
export class Imports1796161664763 implements MigrationInterface {
  name = 'Imports1796161664763';

  public async up(queryRunner: QueryRunner): Promise<void> {
    const tz = 'TIMESTAMP WITH TIME ZONE';
    await queryRunner.query(
      `CREATE TABLE "import_batch" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "unit_id" uuid NOT NULL, "created_by_id" uuid NOT NULL, "counsellor_id" uuid NOT NULL, "unit_code" character varying(10) NOT NULL, "status" character varying(12) NOT NULL, "format" character varying(8) NOT NULL, "encoding" character varying(16), "header_row" integer NOT NULL, "columns" jsonb NOT NULL, "headers_enc" text NOT NULL, "import_duplicates" boolean NOT NULL DEFAULT false, "file_enc" text, "summary" jsonb NOT NULL, "counters_before" jsonb, "rows_done" integer NOT NULL DEFAULT 0, "imported" jsonb, "created_at" ${tz} NOT NULL DEFAULT now(), "started_at" ${tz}, "finished_at" ${tz}, "undo_until" ${tz}, "undone_at" ${tz}, CONSTRAINT "import_batch_pk" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "import_batch_unit_created_idx" ON "import_batch" ("unit_id", "created_at") `);
    await queryRunner.query(`CREATE INDEX "import_batch_running_idx" ON "import_batch" ("status") WHERE status = 'running'`);
    await queryRunner.query(
      `CREATE TABLE "import_issue" ("id" SERIAL NOT NULL, "batch_id" uuid NOT NULL, "row" integer NOT NULL, "col" integer, "field" character varying(24), "code" character varying(32) NOT NULL, "case_code" character varying(24), "other_row" integer, CONSTRAINT "import_issue_pk" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "import_issue_batch_row_idx" ON "import_issue" ("batch_id", "row") `);
    await queryRunner.query(
      `CREATE TABLE "import_batch_case" ("batch_id" uuid NOT NULL, "case_id" uuid NOT NULL, "person_id" uuid NOT NULL, "code" character varying(24) NOT NULL, "row" integer NOT NULL, CONSTRAINT "import_batch_case_pk" PRIMARY KEY ("batch_id", "case_id"))`,
    );
    await queryRunner.query(`CREATE TABLE "import_mapping" ("unit_id" uuid NOT NULL, "headers" jsonb NOT NULL, "updated_at" ${tz} NOT NULL DEFAULT now(), CONSTRAINT "import_mapping_pk" PRIMARY KEY ("unit_id"))`);
    const fk = (table: string, name: string, column: string, target: string, onDelete: string) =>
      queryRunner.query(`ALTER TABLE "${table}" ADD CONSTRAINT "${name}" FOREIGN KEY ("${column}") REFERENCES "${target}"("id") ON DELETE ${onDelete} ON UPDATE NO ACTION`);
    await fk('import_batch', 'import_batch_unit_fk', 'unit_id', 'organisation', 'RESTRICT');
    await fk('import_batch', 'import_batch_created_by_fk', 'created_by_id', 'app_user', 'RESTRICT');
    await fk('import_batch', 'import_batch_counsellor_fk', 'counsellor_id', 'app_user', 'RESTRICT');
    await fk('import_issue', 'import_issue_batch_fk', 'batch_id', 'import_batch', 'CASCADE');
    await fk('import_batch_case', 'import_batch_case_batch_fk', 'batch_id', 'import_batch', 'CASCADE');
    await fk('import_mapping', 'import_mapping_unit_fk', 'unit_id', 'organisation', 'CASCADE');
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "import_mapping"`);
    await queryRunner.query(`DROP TABLE "import_batch_case"`);
    await queryRunner.query(`DROP TABLE "import_issue"`);
    await queryRunner.query(`DROP TABLE "import_batch"`);
  }
}
