import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module.js';
import { OrganisationsModule } from '../organisations/organisations.module.js';
import { PlacesModule } from '../places/places.module.js';
import { UsersModule } from '../users/users.module.js';
import { CaseAccess } from './case-access.js';
import { CaseCodeCounter } from './case-code-counter.entity.js';
import { CaseIntakeRepository } from './case-intake.repository.js';
import { CaseIntakeService } from './case-intake.service.js';
import { CaseReader } from './case-reader.js';
import { CaseRecordsController } from './case-records.controller.js';
import { CaseRecordsRepository } from './case-records.repository.js';
import { CaseRecordsService } from './case-records.service.js';
import { CaseSession } from './case-session.entity.js';
import { Case } from './case.entity.js';
import { CasesController } from './cases.controller.js';
import { CasesRepository } from './cases.repository.js';
import { CasesDemoSeeder } from './cases.seeder.js';
import { CasesService } from './cases.service.js';
import { Consent } from './consent.entity.js';
import { ConsentService } from './consent.service.js';
import { DeliveriesService } from './deliveries.service.js';
import { Delivery } from './delivery.entity.js';
import { FollowUpTask } from './follow-up-task.entity.js';
import { IdentityCodec } from './identity.codec.js';
import { Incident } from './incident.entity.js';
import { IncidentsService } from './incidents.service.js';
import { Need } from './need.entity.js';
import { PersonIdentity } from './person-identity.entity.js';
import { Person } from './person.entity.js';
import { RetentionService } from './retention.service.js';
import { TasksController } from './tasks.controller.js';

/**
 * Persons, cases, needs, consents, incidents, sessions, follow-up tasks, deliveries.
 * For other modules: ConsentService.covers, DeliveriesService.record, CaseReader, CaseRecordsService
 * (need status), CaseIntakeService (register imports), and the `consent.withdrawn` event (cases.events.ts).
 */
@Module({
  imports: [
    TypeOrmModule.forFeature([Person, PersonIdentity, Case, CaseCodeCounter, Need, Consent, Incident, CaseSession, FollowUpTask, Delivery]),
    AuditModule,
    OrganisationsModule,
    PlacesModule,
    UsersModule,
  ],
  controllers: [CasesController, CaseRecordsController, TasksController],
  providers: [
    CasesRepository,
    CaseRecordsRepository,
    CaseAccess,
    IdentityCodec,
    CasesService,
    CaseRecordsService,
    IncidentsService,
    ConsentService,
    DeliveriesService,
    CaseReader,
    RetentionService,
    CasesDemoSeeder,
    CaseIntakeRepository,
    CaseIntakeService,
  ],
  exports: [ConsentService, DeliveriesService, CaseReader, CaseRecordsService, RetentionService, CasesService, IncidentsService, CaseIntakeService],
})
export class CasesModule {}
