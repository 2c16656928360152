import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { OrganisationsModule } from '../organisations/organisations.module.js';
import { User } from './user.entity.js';
import { UserToken } from './user-token.entity.js';
import { UsersController } from './users.controller.js';
import { UsersRepository } from './users.repository.js';
import { UsersService } from './users.service.js';
import { RememberedCallers } from './remembered-callers.js';

@Module({
  imports: [TypeOrmModule.forFeature([User, UserToken]), OrganisationsModule],
  controllers: [UsersController],
  providers: [UsersRepository, UsersService, RememberedCallers],
  exports: [UsersService, UsersRepository, RememberedCallers],
})
export class UsersModule {}
