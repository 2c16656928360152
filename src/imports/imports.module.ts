import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module.js';
import { CasesModule } from '../cases/cases.module.js';
import { OrganisationsModule } from '../organisations/organisations.module.js';
import { UsersModule } from '../users/users.module.js';
import { CaseImportService } from './case-import.service.js';
import { ImportBatch, ImportBatchCase, ImportIssue, ImportMapping } from './import-batch.entity.js';
import { ImportsController } from './imports.controller.js';
import { ImportsRepository } from './imports.repository.js';

/**
 * Bringing in what a unit already has: its case register from XLSX or CSV, checked (dry run),
 * imported in resumable chunks through the cases module's CaseIntakeService, and undoable.
 */
@Module({
  imports: [TypeOrmModule.forFeature([ImportBatch, ImportIssue, ImportBatchCase, ImportMapping]), AuditModule, CasesModule, OrganisationsModule, UsersModule],
  controllers: [ImportsController],
  providers: [ImportsRepository, CaseImportService],
  exports: [CaseImportService],
})
export class ImportsModule {}
