import { Injectable } from '@nestjs/common';
import type { AppAbility } from '../authorization/ability.factory.js';
import type { Language } from '../authorization/actor.js';
import { pick, type CapacityStatus, type ServiceStatus } from './taxonomy.data.js';
import type { ServiceTier } from '../authorization/ability.factory.js';
import { DirectoryRepository, type ReferralTargetRow } from './directory.repository.js';
import { DirectoryService } from './directory.service.js';

/** What the referrals feature needs to know about a target service. */
export interface ReferralTarget {
  serviceId: string;
  organisationId: string;
  regionId: string | null;
  provinceId: string | null;
  name: { fr: string | null; ar: string | null; en: string | null };
  categories: string[];
  status: ServiceStatus;
  tier: ServiceTier;
  capacityStatus: CapacityStatus;
  /** Per-service overrides of the response deadlines, in hours; null = the default of domain.md §5. */
  responseHours: { emergency: number | null; urgent: number | null; routine: number | null };
  /** `accountEmail`: the address of the focal point's account, unless it is disabled. */
  focalPoints: Array<{ id: string; userId: string | null; email: string | null; name: string | null; language: Language; accountEmail: string | null }>;
  serviceAtLocations: Array<{ id: string; locationId: string }>;
}

/** What a referral slip prints of a service at one location (the person carries it: nothing about them), in its language. */
export interface SlipService {
  name: { fr: string | null; ar: string | null; en: string | null };
  organisationName: string;
  tier: ServiceTier;
  location: { name: string | null; address1: string | null; address2: string | null; city: string | null; postalCode: string | null; latitude: number | null; longitude: number | null } | null;
  phones: string[];
  /** Contacts' phones: for a restricted service, the only way in. */
  contactPhones: string[];
  schedules: Array<{ byday: string[]; opensAt: string; closesAt: string; validFrom: string | null; validTo: string | null }>;
  freeOfCharge: boolean;
  noDocumentsRequired: boolean;
  documents: string[];
  costs: Array<{ option: string | null; amount: number | null; currency: string | null }>;
  feesDescription: string | null;
}

const referralTarget = (s: ReferralTargetRow): ReferralTarget => ({
  serviceId: s.id,
  organisationId: s.organisation_id,
  regionId: s.region_id,
  provinceId: s.province_id,
  name: { fr: s.name_fr, ar: s.name_ar, en: s.name_en },
  categories: s.categories,
  status: s.status,
  tier: s.tier,
  capacityStatus: s.capacity_status,
  responseHours: { emergency: s.response_hours_emergency, urgent: s.response_hours_urgent, routine: s.response_hours_routine },
  focalPoints: s.focal_points,
  serviceAtLocations: s.service_at_locations,
});

/**
 * The directory as other features read it (exported by DirectoryModule). No HTTP, no HSDS shapes.
 * Referrals: `getServiceForReferral`, `findVisibleServiceAt` (scope check for the caller),
 * `getServiceAtLocation`. It only reads (the response times referrals feed back are written by
 * DirectoryService.recordResponseTime).
 */
@Injectable()
export class DirectoryReadService {
  constructor(
    private readonly directory: DirectoryRepository,
    private readonly services: DirectoryService,
  ) {}

  async getServiceForReferral(serviceId: string): Promise<ReferralTarget | null> {
    return (await this.getServicesForReferrals([serviceId])).get(serviceId) ?? null;
  }

  /** Several services at once (a page of referrals), by id; one statement whatever their number. */
  async getServicesForReferrals(serviceIds: string[]): Promise<Map<string, ReferralTarget>> {
    const rows = await this.directory.referralTargets([...new Set(serviceIds)]);
    return new Map(rows.map((s) => [s.id, referralTarget(s)]));
  }

  /**
   * The service offered at a service-at-location if `ability` may read it (tier and scope), else null
   * (no such location either): use before referring to it. One statement.
   */
  async findVisibleServiceAt(ability: AppAbility, serviceAtLocationId: string): Promise<ReferralTarget | null> {
    const row = await this.directory.referralTargetAt(this.services.scope(ability), serviceAtLocationId);
    return row ? referralTarget(row) : null;
  }

  async getServiceAtLocation(id: string): Promise<{ id: string; serviceId: string; locationId: string } | null> {
    const sal = await this.directory.findServiceAtLocation(id);
    return sal ? { id: sal.id, serviceId: sal.serviceId, locationId: sal.locationId } : null;
  }

  /**
   * The service and the one location a referral points at, as a slip prints them: the
   * organisation's and the location's names, street and city in `language` where held, else French.
   */
  async slipService(serviceId: string, serviceAtLocationId: string, language: Language): Promise<SlipService | null> {
    const [g] = await this.directory.loadGraphs([serviceId]);
    if (!g) return null;
    const s = g.service;
    const at = g.locations.find((l) => l.serviceAtLocationId === serviceAtLocationId) ?? null;
    return {
      name: { fr: s.nameFr, ar: s.nameAr, en: s.nameEn },
      organisationName: pick({ fr: g.organisation.name, ar: g.organisation.nameAr }, language) ?? g.organisation.name,
      tier: s.tier,
      location: at && {
        name: pick({ fr: at.name, ar: at.nameAr }, language),
        address1: pick({ fr: at.address1, ar: at.address1Ar }, language),
        address2: at.address2,
        city: pick({ fr: at.city, ar: at.cityAr }, language),
        postalCode: at.postalCode,
        latitude: at.latitude,
        longitude: at.longitude,
      },
      phones: g.phones.map((p) => p.number),
      contactPhones: g.contacts.map((c) => c.phone).filter((p): p is string => !!p),
      schedules: g.schedules.map((x) => ({ byday: x.byday, opensAt: x.opensAt, closesAt: x.closesAt, validFrom: x.validFrom, validTo: x.validTo })),
      freeOfCharge: s.freeOfCharge,
      noDocumentsRequired: s.noDocumentsRequired,
      documents: g.requiredDocuments.map((d) => d.document),
      costs: g.costOptions.map((c) => ({ option: c.option, amount: c.amount, currency: c.currency })),
      feesDescription: s.feesDescription,
    };
  }
}
