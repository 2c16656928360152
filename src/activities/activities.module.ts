import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { PlacesModule } from '../places/places.module.js';
import { ActivitiesController } from './activities.controller.js';
import { ActivitiesDemoSeed } from './activities.demo-seed.js';
import { ActivitiesRepository } from './activities.repository.js';
import { ActivitiesService } from './activities.service.js';
import { ActivityParticipation } from './activity-participation.entity.js';
import { Activity } from './activity.entity.js';

/** Programme activities (trainings, workshops, fairs, symposiums) feeding CAP-1 and CAP-2. */
@Module({
  imports: [TypeOrmModule.forFeature([Activity, ActivityParticipation]), PlacesModule],
  controllers: [ActivitiesController],
  providers: [ActivitiesRepository, ActivitiesService, ActivitiesDemoSeed],
  exports: [ActivitiesRepository, ActivitiesService],
})
export class ActivitiesModule {}
