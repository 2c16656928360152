import { PROGRAMME_TIME_ZONE } from '../vocabulary/index.js';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { CronJob } from 'cron';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.js';
import { TransactionHost } from '../database/transaction.js';
import { DirectoryReadService, type ReferralTarget } from '../directory/directory-read.service.js';
import { OutboxRepository } from '../notifications/outbox.repository.js';
import { formatWhen } from '../notifications/templates.js';
import { ReferralsRepository } from './referrals.repository.js';
import { planDigest, planReminders, type OverdueReferral, type RegionDigest } from './reminders.js';

const REMINDER_INTERVAL_MS = 5 * 60_000;

/**
 * Overdue reminders, escalations and the coordinators' daily digest. Scheduled only when
 * JOBS_ENABLED; tests call `runReminders(now)` / `runDigest(now)` directly. Each e-mail has a
 * dedupe key, so overlapping runs (several instances) still send it once.
 */
@Injectable()
export class ReferralRemindersJob implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('ReferralReminders');

  constructor(
    private readonly referrals: ReferralsRepository,
    private readonly directory: DirectoryReadService,
    private readonly outbox: OutboxRepository,
    private readonly tx: TransactionHost,
    private readonly scheduler: SchedulerRegistry,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.jobsEnabled) return;
    const safe = (name: string, fn: () => Promise<unknown>) => () => void fn().catch((e: unknown) => this.logger.error({ job: name, error: (e as Error).name }, 'job failed'));
    this.scheduler.addInterval('referral-reminders', setInterval(safe('reminders', () => this.runReminders()), REMINDER_INTERVAL_MS));
    const digest = CronJob.from({ cronTime: '0 7 * * *', timeZone: PROGRAMME_TIME_ZONE, onTick: safe('digest', () => this.runDigest()), start: false });
    this.scheduler.addCronJob('referral-digest', digest as never);
    digest.start();
  }

  onModuleDestroy(): void {
    if (this.scheduler.doesExist('interval', 'referral-reminders')) this.scheduler.deleteInterval('referral-reminders');
    if (this.scheduler.doesExist('cron', 'referral-digest')) this.scheduler.deleteCronJob('referral-digest');
  }

  async runReminders(now = new Date()): Promise<{ reminded: number; escalated: number; messages: number }> {
    return this.tx.run(async () => {
      const rows = await this.referrals.overdue(now);
      const targets = new Map<string, ReferralTarget | null>();
      const coordinators = new Map<string, Awaited<ReturnType<ReferralsRepository['coordinatorsOf']>>>();
      const overdue: OverdueReferral[] = [];
      for (const r of rows) {
        if (!targets.has(r.serviceId)) targets.set(r.serviceId, await this.directory.getServiceForReferral(r.serviceId));
        const t = targets.get(r.serviceId) ?? null;
        const regionId = t?.regionId ?? null;
        if (regionId && !coordinators.has(regionId)) coordinators.set(regionId, await this.referrals.coordinatorsOf(regionId));
        overdue.push({
          ...r,
          serviceName: t ? (t.name.fr ?? t.name.en ?? t.name.ar ?? '') : '',
          regionId,
          focalPoints: await this.referrals.focalContacts(t?.focalPoints ?? []),
          coordinators: regionId ? (coordinators.get(regionId) ?? []) : [],
        });
      }
      const plan = planReminders(overdue, now, this.config.publicUrl);
      await this.outbox.enqueue(plan.messages);
      await this.referrals.stamp(plan.reminded, 'remindedAt', now);
      await this.referrals.stamp(plan.escalated, 'escalatedAt', now);
      return { reminded: plan.reminded.length, escalated: plan.escalated.length, messages: plan.messages.length };
    });
  }

  async runDigest(now = new Date()): Promise<number> {
    return this.tx.run(async () => {
      const byRegion = new Map<string, RegionDigest>();
      const targets = new Map<string, ReferralTarget | null>();
      for (const r of await this.referrals.allOverdue(now)) {
        if (!targets.has(r.serviceId)) targets.set(r.serviceId, await this.directory.getServiceForReferral(r.serviceId));
        const t = targets.get(r.serviceId);
        if (!t?.regionId) continue;
        let region = byRegion.get(t.regionId);
        if (!region) {
          region = { regionId: t.regionId, regionName: await this.referrals.regionName(t.regionId), coordinators: await this.referrals.coordinatorsOf(t.regionId), items: [] };
          byRegion.set(t.regionId, region);
        }
        region.items.push({ reference: r.reference, service: t.name.fr ?? t.name.en ?? '', priority: r.priority, deadline: formatWhen(r.responseDueAt!, 'fr') });
      }
      const day = formatWhen(now, 'fr').slice(0, 10);
      const messages = planDigest([...byRegion.values()], day, this.config.publicUrl);
      await this.outbox.enqueue(messages);
      return messages.length;
    });
  }
}
