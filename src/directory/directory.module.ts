import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { OrganisationsModule } from '../organisations/organisations.module.js';
import { PlacesModule } from '../places/places.module.js';
import { DirectoryController } from './directory.controller.js';
import { DIRECTORY_ENTITIES } from './directory.entity.js';
import { DirectoryImportService } from './directory-import.service.js';
import { DirectoryTabularService } from './directory-tabular.service.js';
import { DirectoryReadService } from './directory-read.service.js';
import { DirectoryRepository } from './directory.repository.js';
import { DirectorySearchRepository } from './directory-search.repository.js';
import { DirectorySearchService } from './directory-search.service.js';
import { DirectoryDemoSeeder } from './directory.seeder.js';
import { DirectoryService } from './directory.service.js';
import { HsdsController } from './hsds.controller.js';

/** The service directory: HSDS API, management, search, suggestions, import/export, demo data. */
@Module({
  imports: [TypeOrmModule.forFeature(DIRECTORY_ENTITIES), OrganisationsModule, PlacesModule],
  controllers: [HsdsController, DirectoryController],
  providers: [
    DirectoryRepository,
    DirectorySearchRepository,
    DirectoryService,
    DirectorySearchService,
    DirectoryImportService,
    DirectoryTabularService,
    DirectoryReadService,
    DirectoryDemoSeeder,
  ],
  exports: [DirectoryReadService, DirectorySearchService, DirectoryService, DirectoryTabularService],
})
export class DirectoryModule {}
