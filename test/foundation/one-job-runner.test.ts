import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { JobRunner } from '../../src/common/job-runner.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/**
 * Every background job runs on the one JobRunner (src/common/job-runner.ts): one error policy,
 * logged and measured. No other file schedules work; the outbox worker's two timers live inside a
 * run (the renewal of a batch's lease, the rewrite of outcomes the database did not take).
 */
const SCHEDULING = /\b(setInterval|setTimeout|setImmediate)\(|\baddInterval\(|\baddCronJob\(|\baddTimeout\(|\bCronJob\b|@(Interval|Cron|Timeout)\(/g;
const ALLOWED: Record<string, string[]> = {
  'src/common/job-runner.ts': ['CronJob', 'addInterval(', 'setInterval(', 'CronJob', 'addCronJob('],
  'src/notifications/outbox.worker.ts': ['setInterval(', 'setInterval('],
};

const sources = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') && !e.name.endsWith('.spec.ts') ? [join(dir, e.name)] : []));

describe('one job runner', () => {
  it('is the only place that schedules work', () => {
    const found: Record<string, string[]> = {};
    for (const file of sources('src')) {
      const hits = readFileSync(file, 'utf8').match(SCHEDULING);
      if (hits) found[file] = hits;
    }
    expect(found).toEqual(ALLOWED);
  });

  describe('in the application', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp();
    });
    afterAll(() => t.close());

    it('registers every background job with it (scheduled only when JOBS_ENABLED)', () => {
      expect(
        t.app
          .get(JobRunner)
          .stats()
          .map((s) => s.name)
          .sort(),
      ).toEqual(['outbox', 'referral-digest', 'referral-reminders', 'report-rollup', 'retention']);
    });
  });
});
