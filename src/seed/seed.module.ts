import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { PlacesModule } from '../places/places.module.js';
import { OrganisationsModule } from '../organisations/organisations.module.js';
import { UsersModule } from '../users/users.module.js';
import { SeedService } from './seed.service.js';

@Module({
  imports: [DiscoveryModule, PlacesModule, OrganisationsModule, UsersModule],
  providers: [SeedService],
  exports: [SeedService],
})
export class SeedModule {}
