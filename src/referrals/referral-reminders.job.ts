import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { JobRunner } from '../common/job-runner.js';
import { OverdueDigestEvent, ReferralMailEvent } from '../common/mail-events.js';
import { TransactionHost } from '../database/transaction.js';
import { DirectoryReadService } from '../directory/directory-read.service.js';
import { wallDateOf } from '../vocabulary/index.js';
import { ReferralsRepository } from './referrals.repository.js';
import { focalContacts, ReferralTargets } from './referral-targets.js';
import { planDigest, planReminders, type OverdueReferral, type RegionDigest } from './reminders.js';

const REMINDER_INTERVAL_MS = 5 * 60_000;

/**
 * Overdue reminders, escalations and the coordinators' daily digest (07:00 in Morocco), on the
 * job runner; tests call `runReminders(now)` / `runDigest(now)` directly. Each e-mail has a dedupe
 * key, so overlapping runs (several instances) still send it once.
 */
@Injectable()
export class ReferralRemindersJob implements OnApplicationBootstrap {
  constructor(
    private readonly referrals: ReferralsRepository,
    private readonly directory: DirectoryReadService,
    private readonly events: EventEmitter2,
    private readonly tx: TransactionHost,
    private readonly jobs: JobRunner,
  ) {}

  onApplicationBootstrap(): void {
    this.jobs.every('referral-reminders', REMINDER_INTERVAL_MS, () => this.runReminders());
    this.jobs.cron('referral-digest', '0 7 * * *', () => this.runDigest());
  }

  async runReminders(now = new Date()): Promise<{ reminded: number; escalated: number; messages: number }> {
    return this.tx.run(async () => {
      const rows = await this.referrals.overdue(now);
      const targets = new ReferralTargets(this.directory);
      const coordinators = new Map<string, Awaited<ReturnType<ReferralsRepository['coordinatorsOf']>>>();
      const overdue: OverdueReferral[] = [];
      for (const r of rows) {
        const t = await targets.of(r.serviceId);
        const regionId = t?.regionId ?? null;
        if (regionId && !coordinators.has(regionId)) coordinators.set(regionId, await this.referrals.coordinatorsOf(regionId));
        overdue.push({
          ...r,
          service: t?.name ?? { fr: null, ar: null, en: null },
          regionId,
          focalPoints: focalContacts(t?.focalPoints ?? []),
          coordinators: regionId ? (coordinators.get(regionId) ?? []) : [],
        });
      }
      const plan = planReminders(overdue, now);
      for (const m of plan.mails) await this.events.emitAsync(ReferralMailEvent.topic, m);
      await this.referrals.stamp(plan.reminded, 'remindedAt', now);
      await this.referrals.stamp(plan.escalated, 'escalatedAt', now);
      return { reminded: plan.reminded.length, escalated: plan.escalated.length, messages: plan.mails.reduce((n, m) => n + m.recipients.length, 0) };
    });
  }

  async runDigest(now = new Date()): Promise<number> {
    return this.tx.run(async () => {
      const byRegion = new Map<string, RegionDigest>();
      const targets = new ReferralTargets(this.directory);
      for (const r of await this.referrals.allOverdue(now)) {
        const t = await targets.of(r.serviceId);
        if (!t?.regionId) continue;
        let region = byRegion.get(t.regionId);
        if (!region) {
          region = { regionId: t.regionId, regionName: await this.referrals.regionName(t.regionId), coordinators: await this.referrals.coordinatorsOf(t.regionId), items: [] };
          byRegion.set(t.regionId, region);
        }
        region.items.push({ reference: r.reference, service: t.name, priority: r.priority, responseDueAt: r.responseDueAt! });
      }
      const digests = planDigest([...byRegion.values()], wallDateOf(now));
      for (const d of digests) await this.events.emitAsync(OverdueDigestEvent.topic, d);
      return digests.reduce((n, d) => n + d.recipients.length, 0);
    });
  }
}
