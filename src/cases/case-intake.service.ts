import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { Actor } from '../authorization/actor.js';
import type { Category } from '../common/categories.js';
import { CaseIntakeRepository, type IntakeCounts, type IntakeRows } from './case-intake.repository.js';
import { caseCode } from './cases.service.js';
import type { AgeBand, ClosureReason, DeliveryOutcome, PopulationGroup, RiskLevel, Sex } from './cases.constants.js';
import { IdentityCodec, type Identity, type IdentityIndexes } from './identity.codec.js';

export type { IntakeCounts };

/** A person and their case as a register holds them, past work included (mapped and checked by the caller). */
export interface IntakeRecord {
  identity: Identity;
  sex: Sex;
  birthDate: string | null;
  ageBand: AgeBand | null;
  nationality: string | null;
  populationGroup: PopulationGroup | null;
  disability: boolean | null;
  openedOn: string;
  riskLevel: RiskLevel;
  needs: Category[];
  closedOn: string | null;
  closureReason: ClosureReason | null;
  /** Psychosocial sessions by the unit: each is a session and an mhpss delivery (PSS-1 counts them). */
  sessionDates: string[];
  /** An employment/business outcome (LIV-1..6). */
  livelihood: { outcome: DeliveryOutcome; on: string } | null;
}

export interface IntakeMatch {
  code: string;
  matchedOn: Array<'phone' | 'document' | 'name_birth_date'>;
}

const PSS: Category = 'mhpss';
const LIVELIHOOD: Category = 'employment_business';

/**
 * Many persons and cases at once, for imports of a unit's existing register: the cases module's
 * own encryption, blind indexes and case codes, written set-based inside the caller's transaction
 * (the caller audits the batch). Also the way back: removing an import nobody has worked on since.
 */
@Injectable()
export class CaseIntakeService {
  constructor(
    private readonly repo: CaseIntakeRepository,
    private readonly codec: IdentityCodec,
  ) {}

  indexes(identity: Identity, birthDate: string | null): IdentityIndexes {
    return this.codec.indexes(identity, birthDate);
  }

  /** For each set of indexes, the unit's existing cases it matches (empty when none). */
  async matches(unitId: string, ix: IdentityIndexes[]): Promise<IntakeMatch[][]> {
    const out: IntakeMatch[][] = ix.map(() => []);
    for (const r of await this.repo.matches(unitId, ix)) {
      const matchedOn = [r.phone && 'phone', r.document && 'document', r.name_birth && 'name_birth_date'].filter(Boolean) as IntakeMatch['matchedOn'];
      out[Number(r.n) - 1]!.push({ code: r.code, matchedOn });
    }
    return out;
  }

  /** Case-number counters of the unit by year (to put them back on undo). */
  async counters(unitId: string): Promise<Record<number, number>> {
    return Object.fromEntries(await this.repo.counters(unitId));
  }

  /** Writes the records (in the caller's transaction); returns the ids and codes in record order. */
  async write(actor: Actor, unitId: string, unitCode: string, counsellorId: string, records: IntakeRecord[]) {
    const rows: IntakeRows = { persons: [], identities: [], cases: [], needs: [], sessions: [], deliveries: [] };
    // Case numbers in the year each case was opened, reserved per year in one statement.
    const years = new Map<number, number>();
    for (const r of records) years.set(Number(r.openedOn.slice(0, 4)), (years.get(Number(r.openedOn.slice(0, 4))) ?? 0) + 1);
    const next = new Map<number, number>();
    for (const [year, n] of [...years].sort((a, b) => a[0] - b[0])) next.set(year, await this.repo.reserveNumbers(unitId, year, n));
    const created: Array<{ caseId: string; personId: string; code: string }> = [];
    for (const r of records) {
      const personId = randomUUID();
      const caseId = randomUUID();
      const year = Number(r.openedOn.slice(0, 4));
      const number = next.get(year)!;
      next.set(year, number + 1);
      const code = caseCode(unitCode, year, number);
      created.push({ caseId, personId, code });
      rows.persons.push({ id: personId, sex: r.sex, birthDate: r.birthDate, ageBand: r.ageBand, nationality: r.nationality, populationGroup: r.populationGroup, disability: r.disability, at: r.openedOn });
      rows.identities.push(this.codec.encode(personId, r.identity, r.birthDate));
      const status = r.closedOn ? 'closed' : r.sessionDates.length || r.livelihood ? 'active' : 'open';
      rows.cases.push({ id: caseId, code, personId, status, riskLevel: r.riskLevel, closureReason: r.closureReason, openedOn: r.openedOn, closedOn: r.closedOn });
      for (const category of r.needs)
        rows.needs.push({ caseId, category, status: r.closedOn ? (r.closureReason === 'needs_met' ? 'met' : 'withdrawn') : 'open', at: r.openedOn, closedOn: r.closedOn });
      for (const on of r.sessionDates) {
        rows.sessions.push({ caseId, on });
        rows.deliveries.push({ personId, caseId, category: PSS, on, outcome: 'service_provided' });
      }
      if (r.livelihood) rows.deliveries.push({ personId, caseId, category: LIVELIHOOD, on: r.livelihood.on, outcome: r.livelihood.outcome });
    }
    await this.repo.insert(unitId, actor.userId, counsellorId, rows);
    const counts: IntakeCounts = { persons: rows.persons.length, cases: rows.cases.length, needs: rows.needs.length, sessions: rows.sessions.length, deliveries: rows.deliveries.length };
    return { created, counts };
  }

  /**
   * Removes imported cases and persons (in the caller's transaction) if they are exactly as
   * imported: false, and nothing removed, when anyone has changed or added to one of them since
   * (`force`: remove anyway, for an import that failed half-way and was never visible as done).
   */
  async remove(
    unitId: string,
    cases: Array<{ caseId: string; personId: string; code: string }>,
    expected: IntakeCounts,
    countersBefore: Record<number, number>,
    force = false,
  ): Promise<boolean> {
    const caseIds = cases.map((c) => c.caseId);
    const now = await this.repo.recorded(caseIds);
    if (!force && (now.changed || now.other || now.needs !== expected.needs || now.sessions !== expected.sessions || now.deliveries !== expected.deliveries)) return false;
    await this.repo.remove(caseIds, cases.map((c) => c.personId));
    // Give the case numbers back when nobody took one after the import.
    const reached = new Map<number, number>();
    for (const c of cases) {
      const [, year, n] = /-(\d{4})-(\d+)$/.exec(c.code)!.map(Number) as [number, number, number];
      reached.set(year, Math.max(reached.get(year) ?? 0, n));
    }
    for (const [year, max] of reached) await this.repo.restoreCounter(unitId, year, max, countersBefore[year] ?? 0);
    return true;
  }
}
