import { Injectable } from '@nestjs/common';
import type { AppAbility } from '../authorization/ability.factory.js';
import type { Actor } from '../authorization/actor.js';
import { AuditService } from '../audit/audit.service.js';
import type { Category } from '../common/categories.js';
import { notFound } from '../common/domain-error.js';
import { TransactionHost } from '../database/transaction.js';
import { CaseAccess } from './case-access.js';
import { CaseRecordsRepository } from './case-records.repository.js';
import type { Case } from './case.entity.js';
import type { CaseStatus, NeedStatus, ShareableField } from './cases.constants.js';
import { CasesRepository } from './cases.repository.js';
import { IdentityCodec } from './identity.codec.js';
import { Incident } from './incident.entity.js';
import { Need } from './need.entity.js';

/** What another module may know of a case without reading its content. */
export interface CaseSummary {
  id: string;
  code: string;
  unitId: string;
  assignedCounsellorId: string;
  personId: string;
  status: CaseStatus;
  anonymised: boolean;
  needs: Array<{ id: string; category: Category; status: NeedStatus }>;
}

/** Values of the shareable fields (only those asked for). */
export type SharedValues = Partial<Record<ShareableField, unknown>>;

/**
 * The small read API of cases for other modules (referrals): a case's unit, counsellor, status and
 * needs; and, once a consent covers it, the values of the fields that travel with a referral.
 */
@Injectable()
export class CaseReader {
  constructor(
    private readonly cases: CasesRepository,
    private readonly records: CaseRecordsRepository,
    private readonly access: CaseAccess,
    private readonly codec: IdentityCodec,
    private readonly audit: AuditService,
    private readonly tx: TransactionHost,
  ) {}

  /** Within the caller's scope (404 outside it), e.g. a counsellor creating a referral. */
  async summary(ability: AppAbility, caseId: string): Promise<CaseSummary> {
    const { c, needs } = await this.access.loadWithNeeds(ability, caseId);
    return this.summarise(c, needs);
  }

  /** Without scope, for flows the caller authorises itself (a provider completing a referral). */
  async summaryById(caseId: string): Promise<CaseSummary | null> {
    const c = await this.cases.findById(caseId);
    return c ? this.summarise(c, await this.records.listForCase(Need, c.id)) : null;
  }

  /**
   * The values of `fields` for the person of a case, decrypted. Call only after
   * `ConsentService.covers` said yes for these fields. Writes a `share` audit row for the actor.
   */
  async shareableValues(actor: Actor | null, caseId: string, fields: ShareableField[]): Promise<SharedValues> {
    return this.tx.run(async () => {
      const found = await this.cases.personOfCase(caseId, fields.some((f) => f === 'name' || f === 'phone' || f === 'documents'));
      if (!found) throw notFound('case');
      const { person } = found;
      const c = { id: caseId, unitId: found.unitId };
      const identity = found.identity ? this.codec.decode(found.identity) : null;
      const out: SharedValues = {};
      for (const f of fields) {
        switch (f) {
          case 'age_band':
            out.age_band = person.ageBand;
            break;
          case 'sex':
            out.sex = person.sex;
            break;
          case 'nationality':
            out.nationality = person.nationality;
            break;
          case 'languages':
            out.languages = person.languages;
            break;
          case 'population_group':
            out.population_group = person.populationGroup;
            break;
          case 'phone':
            out.phone = identity?.phone ?? null;
            break;
          case 'name':
            out.name = identity ? [identity.givenName, identity.familyName].filter(Boolean).join(' ') : null;
            break;
          case 'documents':
            out.documents = identity?.documentType ? { type: identity.documentType, number: identity.documentNumber } : null;
            break;
          case 'needs_summary':
            out.needs_summary = (await this.records.listForCase(Need, c.id)).filter((n) => n.status === 'open').map((n) => n.category);
            break;
          case 'incident_summary':
            out.incident_summary = (await this.records.listForCase(Incident, c.id)).map((i) => ({ type: i.type, timeElapsed: i.timeElapsed, incidentDate: i.incidentDate }));
            break;
        }
      }
      await this.audit.record(actor, { action: 'share', entity: 'person', entityId: person.id, organisationId: c.unitId });
      return out;
    });
  }

  private summarise(c: Case, needs: ReadonlyArray<Pick<Need, 'id' | 'category' | 'status'>>): CaseSummary {
    return {
      id: c.id,
      code: c.code,
      unitId: c.unitId,
      assignedCounsellorId: c.assignedCounsellorId,
      personId: c.personId,
      status: c.status,
      anonymised: c.anonymisedAt !== null,
      needs: needs.map((n) => ({ id: n.id, category: n.category, status: n.status })),
    };
  }
}
