import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module.js';
import { CasesModule } from '../cases/cases.module.js';
import { DirectoryModule } from '../directory/directory.module.js';
import { IdempotencyModule } from '../idempotency/idempotency.module.js';
import { Referral, ReferralCounter, ReferralEvent } from './referral.entity.js';
import { ReferralRemindersJob } from './referral-reminders.job.js';
import { FhirTerminologyController } from './fhir-terminology.controller.js';
import { ReferralsController } from './referrals.controller.js';
import { ReferralsListener } from './referrals.listener.js';
import { ReferralsRepository } from './referrals.repository.js';
import { ReferralCommands } from './referral-commands.service.js';
import { ReferralMails } from './referral-mails.js';
import { ReferralViews } from './referral-views.service.js';
import { ReferralsDemoSeeder } from './referrals.seeder.js';

/** The closed loop (domain.md §5): referrals, their history, e-mails, reminders, FHIR. */
@Module({
  imports: [TypeOrmModule.forFeature([Referral, ReferralEvent, ReferralCounter]), CasesModule, DirectoryModule, IdempotencyModule, AuditModule],
  controllers: [ReferralsController, FhirTerminologyController],
  providers: [ReferralsRepository, ReferralCommands, ReferralViews, ReferralMails, ReferralsListener, ReferralRemindersJob, ReferralsDemoSeeder],
  exports: [ReferralCommands, ReferralViews],
})
export class ReferralsModule {}
