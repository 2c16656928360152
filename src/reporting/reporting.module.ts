import { Module } from '@nestjs/common';
import { FactsheetService } from './factsheet.service.js';
import { ReportOutputsService } from './report-outputs.service.js';
import { ReportRollupJob } from './report-rollup.job.js';
import { ReportingController } from './reporting.controller.js';
import { ReportLookups } from './report-lookups.repository.js';
import { ReportingRepository } from './reporting.repository.js';
import { ReportingService } from './reporting.service.js';

/**
 * Programme indicators (domain.md §6): the catalogue, the SQL, small-number protection, the
 * factsheet view and the exports. It reads the tables of cases, referrals and activities in SQL
 * and depends on no feature module.
 */
@Module({
  controllers: [ReportingController],
  providers: [ReportingRepository, ReportLookups, ReportingService, ReportOutputsService, FactsheetService, ReportRollupJob],
  exports: [ReportingService, ReportOutputsService, FactsheetService],
})
export class ReportingModule {}
