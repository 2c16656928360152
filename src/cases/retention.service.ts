import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { JobRunner } from '../common/job-runner.js';
import { AuditService, type AuditEntry } from '../audit/audit.service.js';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.js';
import { TransactionHost } from '../database/transaction.js';
import { CasesRepository } from './cases.repository.js';

const JOB = 'retention';
const EVERY_MS = 6 * 3600_000;

/** `months` calendar months before `now` (UTC). */
export function monthsBefore(now: Date, months: number): Date {
  const d = new Date(now);
  d.setUTCMonth(d.getUTCMonth() - months);
  return d;
}

/**
 * Anonymises cases closed longer than RETENTION_MONTHS: identifying fields, birth date and free
 * text go; what indicators count (attributes, needs, incident types, deliveries) stays. One
 * transaction and one audit row per case, so a failure leaves the others done and this one intact.
 */
@Injectable()
export class RetentionService implements OnApplicationBootstrap {
  private readonly logger = new Logger('Retention');

  constructor(
    private readonly cases: CasesRepository,
    private readonly audit: AuditService,
    private readonly tx: TransactionHost,
    private readonly jobs: JobRunner,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.jobs.every(JOB, EVERY_MS, () => this.anonymiseExpired());
  }

  /** Returns how many cases were anonymised. */
  async anonymiseExpired(now = new Date(), batch = 100): Promise<number> {
    const before = monthsBefore(now, this.config.retentionMonths);
    let done = 0;
    for (;;) {
      const due = await this.cases.closedBefore(before, batch);
      if (!due.length) break;
      for (const c of due) {
        await this.tx.run(async () => {
          await this.cases.anonymiseCase(c.id);
          const entries: AuditEntry[] = [{ action: 'anonymise', entity: 'case', entityId: c.id, organisationId: c.unitId }];
          if (await this.cases.allCasesAnonymised(c.personId)) {
            await this.cases.anonymisePerson(c.personId);
            entries.push({ action: 'anonymise', entity: 'person', entityId: c.personId, organisationId: c.unitId });
          }
          await this.audit.record(null, entries, JOB);
        });
        done++;
      }
    }
    if (done) this.logger.log({ anonymised: done }, 'cases anonymised under the retention rule');
    return done;
  }
}
