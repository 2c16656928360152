import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What a caller is allowed to do comes from three tables: the user (status, roles, organisation,
 * language, token version), the organisation (status, type, region, province) and the session's
 * refresh tokens (revoked). A change to any of them is announced on the channel `tawjih_callers`
 * (`u:<user id>`, `o:<organisation id>`, `s:<session id>`, `*` for a TRUNCATE), so that the app's
 * remembered callers (src/users/remembered-callers.ts) are forgotten at the commit that changes them,
 * whoever makes the change: the app, the CLI or someone at psql.
 */
export class CallerChangeNotices1796172000000 implements MigrationInterface {
  name = 'CallerChangeNotices1796172000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    // TG_ARGV: the kind of id and the column that holds it (read through jsonb: one function for three tables).
    await queryRunner.query(`CREATE FUNCTION caller_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_LEVEL = 'STATEMENT' THEN
    PERFORM pg_notify('tawjih_callers', '*');
  ELSE
    PERFORM pg_notify('tawjih_callers', TG_ARGV[0] || ':' || (to_jsonb(OLD) ->> TG_ARGV[1]));
  END IF;
  RETURN NULL;
END $$`);
    const changed = (cols: string[]) => cols.map((c) => `OLD.${c} IS DISTINCT FROM NEW.${c}`).join(' OR ');
    const watch = (table: string, kind: string, column: string, cols: string[]) => [
      `CREATE TRIGGER ${table}_caller_changed AFTER UPDATE ON "${table}" FOR EACH ROW WHEN (${changed(cols)}) EXECUTE FUNCTION caller_changed('${kind}', '${column}')`,
      `CREATE TRIGGER ${table}_caller_removed AFTER DELETE ON "${table}" FOR EACH ROW EXECUTE FUNCTION caller_changed('${kind}', '${column}')`,
      `CREATE TRIGGER ${table}_callers_truncated AFTER TRUNCATE ON "${table}" FOR EACH STATEMENT EXECUTE FUNCTION caller_changed()`,
    ];
    for (const sql of [
      ...watch('app_user', 'u', 'id', ['id', 'organisation_id', 'roles', 'language', 'status', 'token_version']),
      ...watch('organisation', 'o', 'id', ['id', 'type', 'region_id', 'province_id', 'status']),
      ...watch('refresh_token', 's', 'family_id', ['family_id', 'revoked_at']),
    ]) {
      await queryRunner.query(sql);
    }
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['refresh_token', 'organisation', 'app_user']) {
      for (const t of ['caller_changed', 'caller_removed', 'callers_truncated']) await queryRunner.query(`DROP TRIGGER ${table}_${t} ON "${table}"`);
    }
    await queryRunner.query(`DROP FUNCTION caller_changed()`);
  }
}
