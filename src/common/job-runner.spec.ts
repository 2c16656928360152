import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import type { AppConfig } from '../config/config.js';
import { JobRunner } from './job-runner.js';

const runner = (jobsEnabled: boolean) => {
  const scheduler = new SchedulerRegistry();
  return { scheduler, jobs: new JobRunner(scheduler, { jobsEnabled } as AppConfig) };
};

describe('JobRunner: one error policy, logged and measured', () => {
  let logged: Array<[string, unknown, string]>;
  beforeEach(() => {
    logged = [];
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(function (this: Logger, obj: unknown, msg?: unknown) {
      logged.push(['warn', obj, String(msg)]);
    });
    jest.spyOn(Logger.prototype, 'error').mockImplementation(function (this: Logger, obj: unknown, msg?: unknown) {
      logged.push(['error', obj, String(msg)]);
    });
  });
  afterEach(() => jest.restoreAllMocks());

  it('schedules nothing when JOBS_ENABLED is off, and on a tick when it is on', () => {
    const off = runner(false);
    off.jobs.every('a', 60_000, async () => undefined);
    off.jobs.cron('b', '0 7 * * *', async () => undefined);
    expect(off.scheduler.getIntervals()).toEqual([]);
    expect(off.scheduler.getCronJobs().size).toBe(0);
    const on = runner(true);
    on.jobs.every('a', 60_000, async () => undefined);
    on.jobs.cron('b', '0 7 * * *', async () => undefined);
    expect(on.scheduler.getIntervals()).toEqual(['a']);
    expect([...on.scheduler.getCronJobs().keys()]).toEqual(['b']);
    on.jobs.onModuleDestroy();
    expect(on.scheduler.getIntervals()).toEqual([]);
    expect(on.scheduler.getCronJobs().size).toBe(0);
  });

  it('refuses a job registered twice (two schedulers of one job would overlap)', () => {
    const { jobs } = runner(false);
    jobs.every('a', 1000, async () => undefined);
    expect(() => jobs.every('a', 1000, async () => undefined)).toThrow('job a registered twice');
  });

  it('catches a failure, counts it and logs its type and code only, never its message', async () => {
    const { jobs } = runner(false);
    jobs.every('fails', 1000, async () => {
      throw Object.assign(new TypeError('Aminata Diallo +212600112233'), { code: 'EX' });
    });
    await expect(jobs.runNow('fails')).resolves.toBe(false);
    expect(jobs.stats()).toEqual([expect.objectContaining({ name: 'fails', runs: 1, failures: 1, lastOutcome: 'failed' })]);
    expect(logged).toEqual([['error', { job: 'fails', err: { type: 'TypeError', code: 'EX' } }, 'job failed']]);
    expect(JSON.stringify(logged)).not.toContain('Aminata');
  });

  it('tells an outage (warned, retried next tick) from a fault', async () => {
    const { jobs } = runner(false);
    jobs.every('db-down', 1000, async () => {
      throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    });
    await jobs.runNow('db-down');
    expect(jobs.stats()[0]).toMatchObject({ failures: 1, lastOutcome: 'outage' });
    expect(logged.map(([level, , msg]) => [level, msg])).toEqual([['warn', 'job paused: database unavailable']]);
  });

  it('never runs a job twice at once: a tick during a run is skipped and counted', async () => {
    const { jobs } = runner(false);
    let release!: () => void;
    let runs = 0;
    jobs.every('slow', 1000, async () => {
      runs++;
      await new Promise<void>((r) => (release = r));
    });
    const first = jobs.runNow('slow');
    await expect(jobs.runNow('slow')).resolves.toBe(false);
    release();
    await expect(first).resolves.toBe(true);
    expect(runs).toBe(1);
    expect(jobs.stats()[0]).toMatchObject({ runs: 1, skipped: 1, failures: 0, lastOutcome: 'ok' });
    expect(jobs.stats()[0]!.lastDurationMs).toEqual(expect.any(Number));
    expect(jobs.stats()[0]!.lastStartedAt).toBeInstanceOf(Date);
  });
});
