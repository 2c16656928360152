import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Case search by code prefix used ILIKE, which no index serves: every case of the unit was read
 * (linear in the unit's size). Codes are upper case, so the search is now `LIKE 'PREFIX%'`, served
 * by this pattern-ops index whatever the database collation. Declared with synchronize: false on
 * the entity (TypeORM cannot express the operator class).
 */
export class CaseCodePrefixIndex1795917323731 implements MigrationInterface {
  name = 'CaseCodePrefixIndex1795917323731';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX "case_file_code_prefix_idx" ON "case_file" ("code" varchar_pattern_ops)`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."case_file_code_prefix_idx"`);
  }
}
