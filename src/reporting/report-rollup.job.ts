import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.js';
import { ReportingRepository } from './reporting.repository.js';

const ROLLUP_INTERVAL_MS = 5 * 60_000;

/**
 * Keeps the monthly referral roll-up built: every five minutes (and at start), every past month
 * that is missing — a month just ended, or one whose referrals or people changed — is rebuilt, one
 * month per transaction. Reports stay exact meanwhile: a month not built is read from the referrals.
 * Scheduled only when JOBS_ENABLED; tests and the bench call `run()`.
 */
@Injectable()
export class ReportRollupJob implements OnApplicationBootstrap {
  private readonly logger = new Logger('ReportRollup');
  private running?: Promise<number>;

  constructor(
    private readonly reports: ReportingRepository,
    private readonly scheduler: SchedulerRegistry,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.jobsEnabled) return;
    const tick = () => void this.run().catch((e: unknown) => this.logger.error({ job: 'report-rollup', error: (e as Error).name }, 'job failed'));
    this.scheduler.addInterval('report-rollup', setInterval(tick, ROLLUP_INTERVAL_MS));
    tick();
  }

  /** Builds every missing month; returns how many were built. One run at a time per instance. */
  run(): Promise<number> {
    this.running ??= (async () => {
      let built = 0;
      try {
        while (await this.reports.buildRollupMonth()) built++;
        if (built) this.logger.log({ months: built }, 'monthly roll-up built');
        return built;
      } finally {
        this.running = undefined;
      }
    })();
    return this.running;
  }
}
