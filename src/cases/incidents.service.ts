import { Injectable } from '@nestjs/common';
import type { AppAbility } from '../authorization/ability.factory.js';
import type { Actor } from '../authorization/actor.js';
import { scopeFor } from '../authorization/scope.js';
import { AuditService } from '../audit/audit.service.js';
import { TransactionHost } from '../database/transaction.js';
import { CaseAccess } from './case-access.js';
import { CaseRecordsRepository } from './case-records.repository.js';
import { incidentView } from './case.views.js';
import { timeElapsedBetween } from './cases.constants.js';
import { CaseErrors } from './cases.errors.js';
import { CASE_SCOPE_COLUMNS } from './cases.repository.js';
import { IdentityCodec } from './identity.codec.js';
import { Incident } from './incident.entity.js';
import type { CreateIncidentDto } from './dto/records.dto.js';
import type { IncidentView } from './case.views.js';

/** Incidents of violence: the assigned counsellor and the unit's supervisor only (ability.factory.ts). */
@Injectable()
export class IncidentsService {
  constructor(
    private readonly records: CaseRecordsRepository,
    private readonly access: CaseAccess,
    private readonly codec: IdentityCodec,
    private readonly audit: AuditService,
    private readonly tx: TransactionHost,
  ) {}

  async list(actor: Actor, ability: AppAbility, caseId: string): Promise<IncidentView[]> {
    return this.tx.run(async () => {
      const c = await this.access.loadForIncidents(ability, 'read', caseId);
      const incidents = await this.records.incidents(scopeFor(ability, 'read', 'Incident', CASE_SCOPE_COLUMNS), c.id);
      await this.audit.record(
        actor,
        incidents.map((i) => ({ action: 'read' as const, entity: 'incident' as const, entityId: i.id, organisationId: c.unitId })),
      );
      return incidents.map((i) => incidentView(i, this.codec.decrypt(i.descriptionEnc)));
    });
  }

  async create(actor: Actor, ability: AppAbility, caseId: string, dto: CreateIncidentDto): Promise<IncidentView> {
    return this.tx.run(async () => {
      const c = await this.access.loadForIncidents(ability, 'create', caseId);
      const reportedAt = new Date();
      const timeElapsed = dto.incidentDate ? timeElapsedBetween(dto.incidentDate, reportedAt) : dto.timeElapsed;
      if (!timeElapsed) throw CaseErrors.field('timeElapsed', 'timeElapsed is required when incidentDate is not given');
      const i = await this.records.insert(Incident, {
        caseId: c.id,
        type: dto.type,
        incidentDate: dto.incidentDate ?? null,
        placeType: dto.placeType,
        timeElapsed,
        reportedAt,
        descriptionEnc: this.codec.encrypt(dto.description),
        recordedById: actor.userId,
      });
      await this.audit.record(actor, { action: 'create', entity: 'incident', entityId: i.id, organisationId: c.unitId });
      return incidentView(i, dto.description ?? null);
    });
  }
}
