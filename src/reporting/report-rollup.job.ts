import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { JobRunner } from '../common/job-runner.js';
import { ReportingRepository } from './reporting.repository.js';

const ROLLUP_INTERVAL_MS = 5 * 60_000;

/**
 * Keeps the monthly referral roll-up built: every five minutes (and at start), every past month
 * that is missing — a month just ended, or one whose referrals or people changed — is rebuilt, one
 * month per transaction, then the roll-up's statistics are refreshed (ANALYZE) so that the next
 * report is planned on them. Reports stay exact meanwhile: a month not built is read from the referrals.
 * On the job runner (only when JOBS_ENABLED); tests and the bench call `run()`.
 */
@Injectable()
export class ReportRollupJob implements OnApplicationBootstrap {
  private readonly logger = new Logger('ReportRollup');
  private running?: Promise<number>;

  constructor(
    private readonly reports: ReportingRepository,
    private readonly jobs: JobRunner,
  ) {}

  onApplicationBootstrap(): void {
    this.jobs.every('report-rollup', ROLLUP_INTERVAL_MS, () => this.run(), { atStart: true });
  }

  /** Builds every missing month; returns how many were built. One run at a time per instance. */
  run(): Promise<number> {
    this.running ??= (async () => {
      let built = 0;
      try {
        while (await this.reports.buildRollupMonth()) built++;
        if (built) {
          await this.reports.analyzeRollup();
          this.logger.log({ months: built }, 'monthly roll-up built');
        }
        return built;
      } finally {
        this.running = undefined;
      }
    })();
    return this.running;
  }
}
