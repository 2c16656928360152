import { Global, Inject, Injectable, Logger, Module, type OnModuleDestroy } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { CronJob } from 'cron';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.js';
import { PROGRAMME_TIME_ZONE } from '../vocabulary/index.js';
import { outageKind } from './outage.js';

/** What the runner measured of one job since the process started. */
export interface JobStats {
  name: string;
  runs: number;
  failures: number;
  /** Ticks that found the previous run still going (never two runs of a job at once in a process). */
  skipped: number;
  lastStartedAt: Date | null;
  lastDurationMs: number | null;
  /** `outage`: the database or the mail server was not there (the next tick retries). */
  lastOutcome: 'ok' | 'failed' | 'outage' | null;
}

interface Job {
  work: () => Promise<unknown>;
  stats: JobStats;
  running: boolean;
  kind: 'interval' | 'cron';
}

/**
 * The one runner of background jobs (the outbox, reminders, the digest, the roll-up, retention),
 * on @nestjs/schedule. One error policy for all: a run never overlaps the previous one in this
 * process; a failure is caught, counted and logged by its error's type and code only (a message may
 * echo personal data) — a warning while the database or the mail server is unavailable (the next
 * tick retries), an error otherwise; every run is timed. Jobs are scheduled only when JOBS_ENABLED; tests call the
 * jobs' own methods, or `runNow` for the policy.
 */
@Injectable()
export class JobRunner implements OnModuleDestroy {
  private readonly logger = new Logger('Jobs');
  private readonly jobs = new Map<string, Job>();

  constructor(
    private readonly scheduler: SchedulerRegistry,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Runs `work` every `ms` (and once at start with `atStart`). */
  every(name: string, ms: number, work: () => Promise<unknown>, opts: { atStart?: boolean } = {}): void {
    if (!this.register(name, work, 'interval')) return;
    this.scheduler.addInterval(name, setInterval(() => void this.runNow(name), ms));
    if (opts.atStart) void this.runNow(name);
  }

  /** Runs `work` on a cron schedule read in Morocco's time (e.g. `0 7 * * *`: 07:00 there). */
  cron(name: string, cronTime: string, work: () => Promise<unknown>): void {
    if (!this.register(name, work, 'cron')) return;
    const job = CronJob.from({ cronTime, timeZone: PROGRAMME_TIME_ZONE, onTick: () => void this.runNow(name), start: false });
    this.scheduler.addCronJob(name, job as never);
    job.start();
  }

  /** One run under the policy; false when it was skipped or failed (never throws). */
  async runNow(name: string): Promise<boolean> {
    const job = this.jobs.get(name);
    if (!job) throw new Error(`no job ${name}`);
    if (job.running) {
      job.stats.skipped++;
      return false;
    }
    job.running = true;
    const started = performance.now();
    job.stats.runs++;
    job.stats.lastStartedAt = new Date();
    try {
      await job.work();
      job.stats.lastOutcome = 'ok';
      return true;
    } catch (e) {
      job.stats.failures++;
      const err = { type: (e as Error)?.name, code: (e as { code?: string })?.code };
      const outage = outageKind(e);
      if (outage) {
        job.stats.lastOutcome = 'outage';
        this.logger.warn({ job: name, err }, `job paused: ${outage} unavailable`);
      } else {
        job.stats.lastOutcome = 'failed';
        this.logger.error({ job: name, err }, 'job failed');
      }
      return false;
    } finally {
      job.stats.lastDurationMs = Math.round(performance.now() - started);
      job.running = false;
      this.logger.debug({ job: name, durationMs: job.stats.lastDurationMs, outcome: job.stats.lastOutcome }, 'job run');
    }
  }

  stats(): JobStats[] {
    return [...this.jobs.values()].map((j) => ({ ...j.stats }));
  }

  onModuleDestroy(): void {
    for (const [name, job] of this.jobs) {
      if (job.kind === 'interval' && this.scheduler.doesExist('interval', name)) this.scheduler.deleteInterval(name);
      if (job.kind === 'cron' && this.scheduler.doesExist('cron', name)) this.scheduler.deleteCronJob(name);
    }
  }

  private register(name: string, work: () => Promise<unknown>, kind: Job['kind']): boolean {
    if (this.jobs.has(name)) throw new Error(`job ${name} registered twice`);
    this.jobs.set(name, { work, kind, running: false, stats: { name, runs: 0, failures: 0, skipped: 0, lastStartedAt: null, lastDurationMs: null, lastOutcome: null } });
    return this.config.jobsEnabled;
  }
}

/** Global: one runner, so one set of measurements, for every module. */
@Global()
@Module({ providers: [JobRunner], exports: [JobRunner] })
export class JobsModule {}
