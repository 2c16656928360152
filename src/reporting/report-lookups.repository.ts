import { Injectable } from '@nestjs/common';
import { TransactionHost } from '../database/transaction.js';

/** A place's level and parent: fixed once the place exists (places.service.ts changes only names; none is deleted). */
export interface PlaceFact {
  id: string;
  level: string;
  parentId: string | null;
}

/** The places and organisations a report names or filters by (organisational facts, never people). */
@Injectable()
export class ReportLookups {
  /**
   * Places found so far: their level and parent never change, so every report request after the
   * first one for a region checks its filter without a round trip to the database. Only places that
   * exist are kept (one created later is found on its first request); there are a few thousand.
   */
  private readonly places = new Map<string, PlaceFact>();

  constructor(private readonly tx: TransactionHost) {}

  /** Names of places (fr/ar) and organisations (one name) for labelling ids in a report. */
  async names(ids: string[]): Promise<Map<string, { fr: string; ar: string }>> {
    const out = new Map<string, { fr: string; ar: string }>();
    const uuids = ids.filter((id) => /^[0-9a-f-]{36}$/i.test(id));
    if (!uuids.length) return out;
    const rows: { id: string; fr: string; ar: string }[] = await this.tx.reader.query(
      `SELECT id::text, name_fr AS fr, name_ar AS ar FROM place WHERE id = ANY($1::uuid[])
       UNION ALL SELECT id::text, name AS fr, name AS ar FROM organisation WHERE id = ANY($1::uuid[])`,
      [uuids],
    );
    for (const r of rows) out.set(r.id, { fr: r.fr, ar: r.ar });
    return out;
  }

  /** A place with its level and parent (null when there is none). */
  async place(id: string): Promise<PlaceFact | null> {
    // Keyed by the canonical (lower-case) id, so spellings of one id do not add entries.
    const key = id.toLowerCase();
    const known = this.places.get(key);
    if (known) return known;
    const rows: PlaceFact[] = await this.tx.reader.query(`SELECT id::text, level::text, parent_id::text AS "parentId" FROM place WHERE id = $1`, [id]);
    const found = rows[0];
    if (!found) return null;
    const fact = { id: found.id, level: found.level, parentId: found.parentId };
    this.places.set(key, fact);
    return fact;
  }

  /** Counselling units of a region (an organisational fact, not a count of people). */
  async countUnits(regionId: string): Promise<number> {
    const rows = await this.tx.reader.query(
      `SELECT count(*)::int AS n FROM organisation WHERE type = 'counselling_unit' AND status = 'active' AND region_id = $1`,
      [regionId],
    );
    return rows[0].n;
  }

  async placeCode(id: string): Promise<string | null> {
    const rows = await this.tx.reader.query(`SELECT code FROM place WHERE id = $1`, [id]);
    return rows[0]?.code ?? null;
  }

  async unit(id: string): Promise<{ id: string; regionId: string | null } | null> {
    const rows = await this.tx.reader.query(
      `SELECT id::text, region_id::text AS "regionId" FROM organisation WHERE id = $1 AND type = 'counselling_unit'`,
      [id],
    );
    return rows[0] ?? null;
  }
}
