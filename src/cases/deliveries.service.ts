import { Injectable } from '@nestjs/common';
import type { AppAbility } from '../authorization/ability.factory.js';
import type { Actor } from '../authorization/actor.js';
import { AuditService, readsOf } from '../audit/audit.service.js';
import type { Category } from '../common/categories.js';
import { notFound } from '../common/domain-error.js';
import { TransactionHost } from '../database/transaction.js';
import { OrganisationsService } from '../organisations/organisations.service.js';
import { CaseAccess } from './case-access.js';
import { CaseRecordsRepository } from './case-records.repository.js';
import { deliveryView, type DeliveryView } from './case.views.js';
import type { DeliveryOutcome } from './cases.constants.js';
import { CaseErrors } from './cases.errors.js';
import { CasesRepository } from './cases.repository.js';
import { Delivery } from './delivery.entity.js';
import { Need } from './need.entity.js';
import type { CreateDeliveryDto } from './dto/records.dto.js';

/** A delivery to record (see `DeliveriesService.record`). */
export interface DeliveryInput {
  caseId: string;
  category: Category;
  deliveredOn: string;
  outcome: DeliveryOutcome;
  /** A provider, or the counselling unit itself. */
  providerOrganisationId: string;
  serviceId?: string | null;
  referralId?: string | null;
  /** The need this delivery answers (a referral's need): an outcome of `service_provided` marks it met. */
  needId?: string | null;
}

export type { DeliveryView };

@Injectable()
export class DeliveriesService {
  constructor(
    private readonly cases: CasesRepository,
    private readonly records: CaseRecordsRepository,
    private readonly access: CaseAccess,
    private readonly organisations: OrganisationsService,
    private readonly audit: AuditService,
    private readonly tx: TransactionHost,
  ) {}

  /**
   * Records that the person of a case received a service. For other modules (referrals, on
   * completion): joins the caller's transaction, checks no ability (the caller has decided the
   * actor may do this), audits with the given actor. One delivery per referral (unique index).
   */
  async record(actor: Actor | null, input: DeliveryInput): Promise<DeliveryView> {
    return this.tx.run(async () => {
      const c = await this.cases.findById(input.caseId);
      if (!c) throw notFound('case');
      const provider = await this.organisations.find(input.providerOrganisationId);
      if (!provider || (provider.type !== 'service_provider' && provider.id !== c.unitId)) {
        throw CaseErrors.field('providerOrganisationId', 'providerOrganisationId must be a service provider or the unit itself');
      }
      if (input.referralId && (await this.records.deliveryForReferral(input.referralId))) throw CaseErrors.deliveryAlreadyRecorded();
      const d = await this.records.insert(Delivery, {
        personId: c.personId,
        caseId: c.id,
        unitId: c.unitId,
        category: input.category,
        serviceId: input.serviceId ?? null,
        providerOrganisationId: input.providerOrganisationId,
        deliveredOn: input.deliveredOn,
        outcome: input.outcome,
        referralId: input.referralId ?? null,
        recordedById: actor?.userId ?? null,
      });
      await this.audit.record(actor, { action: 'create', entity: 'delivery', entityId: d.id, organisationId: c.unitId });
      // The loop closes on the case: a service fully provided meets its need; a partial one leaves it open.
      if (input.needId && input.outcome === 'service_provided') {
        const need = await this.records.findForCase(Need, c.id, input.needId);
        if (need?.status === 'open') {
          await this.records.save(Need, { ...need, status: 'met', closedAt: new Date() });
          await this.audit.record(actor, { action: 'update', entity: 'need', entityId: need.id, organisationId: c.unitId });
        }
      }
      return deliveryView(d);
    });
  }

  /** From the unit: a service it gave itself or one a provider reported outside a referral. */
  async create(actor: Actor, ability: AppAbility, caseId: string, dto: CreateDeliveryDto): Promise<DeliveryView> {
    return this.tx.run(async () => {
      const c = await this.access.load(ability, 'update', caseId);
      if (c.anonymisedAt) throw CaseErrors.anonymised();
      return this.record(actor, { ...dto, caseId: c.id, providerOrganisationId: dto.providerOrganisationId ?? c.unitId });
    });
  }

  /** The services a person received say much about them: one audit row per delivery read. */
  async list(actor: Actor, ability: AppAbility, caseId: string): Promise<DeliveryView[]> {
    const c = await this.access.load(ability, 'read', caseId);
    const deliveries = await this.records.listForCase(Delivery, c.id);
    await this.audit.record(actor, readsOf('delivery', deliveries, c.unitId));
    return deliveries.map(deliveryView);
  }
}
