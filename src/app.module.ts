import { Module, type DynamicModule } from '@nestjs/common';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { ScheduleModule } from '@nestjs/schedule';
import { JobsModule } from './common/job-runner.js';
import type { AppConfig } from './config/config.js';
import { AppConfigModule } from './config/config.module.js';
import { DatabaseModule } from './database/database.module.js';
import { CryptoModule } from './common/crypto/crypto.module.js';
import { ImportsModule } from './imports/imports.module.js';
import { HealthModule } from './health/health.module.js';
import { PlacesModule } from './places/places.module.js';
import { OrganisationsModule } from './organisations/organisations.module.js';
import { UsersModule } from './users/users.module.js';
import { AuthModule } from './auth/auth.module.js';
import { NotificationsModule } from './notifications/notifications.module.js';
import { SeedModule } from './seed/seed.module.js';
import { AuditModule } from './audit/audit.module.js';
import { CasesModule } from './cases/cases.module.js';
import { IdempotencyModule } from './idempotency/idempotency.module.js';
import { ReferralsModule } from './referrals/referrals.module.js';
import { DirectoryModule } from './directory/directory.module.js';
import { ActivitiesModule } from './activities/activities.module.js';
import { ReportingModule } from './reporting/reporting.module.js';
import { WebModule } from './web/web.module.js';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        AppConfigModule.forRoot(config),
        EventEmitterModule.forRoot(),
        ScheduleModule.forRoot(),
        JobsModule,
        DatabaseModule,
        CryptoModule,
        HealthModule,
        PlacesModule,
        OrganisationsModule,
        UsersModule,
        AuthModule,
        NotificationsModule,
        DirectoryModule,
        SeedModule,
        AuditModule,
        CasesModule,
        IdempotencyModule,
        ReferralsModule,
        ActivitiesModule,
        ReportingModule,
        ImportsModule,
        WebModule,
      ],
    };
  }
}
