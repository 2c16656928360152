import { ApiView } from '../common/api-views.js';
import { MeView, PasswordLinkView, UserPageView, UserView } from './users.views.js';
import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { AppAbility } from '../authorization/ability.factory.js';
import type { Actor } from '../authorization/actor.js';
import { AllowWithoutMfa, Authenticated, Can, CurrentAbility, CurrentActor } from '../authorization/policies.js';
import { IdPipe } from '../common/params.js';
import { API } from '../common/api.js';
import { CreateUserDto, UpdateMeDto, UpdateUserDto, UserQuery } from './dto/user.dto.js';
import { UsersService } from './users.service.js';

@ApiTags('users')
@ApiBearerAuth()
@Controller(API)
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get('me')
  @ApiView(MeView)
  @Authenticated()
  @AllowWithoutMfa()
  me(@CurrentActor() actor: Actor) {
    return this.users.me(actor);
  }

  @Patch('me')
  @ApiView(MeView)
  @Authenticated()
  updateMe(@CurrentActor() actor: Actor, @Body() dto: UpdateMeDto) {
    return this.users.updateMe(actor, dto);
  }

  @Get('users')
  @ApiView(UserPageView)
  @Can('read', 'User')
  list(@CurrentAbility() ability: AppAbility, @Query() q: UserQuery) {
    return this.users.list(ability, q);
  }

  @Get('users/:id')
  @ApiView(UserView)
  @Can('read', 'User')
  get(@CurrentAbility() ability: AppAbility, @Param('id', IdPipe) id: string) {
    return this.users.get(ability, id);
  }

  /** Creates the account and e-mails a one-time link to set its password. */
  @Post('users')
  @ApiView(UserView, { status: 201 })
  @Can('create', 'User')
  create(@CurrentAbility() ability: AppAbility, @Body() dto: CreateUserDto) {
    return this.users.create(ability, dto);
  }

  @Patch('users/:id')
  @ApiView(UserView)
  @Can('update', 'User')
  update(@CurrentAbility() ability: AppAbility, @Param('id', IdPipe) id: string, @Body() dto: UpdateUserDto) {
    return this.users.update(ability, id, dto);
  }

  @Post('users/:id/disable')
  @ApiView(UserView)
  @HttpCode(200)
  @Can('update', 'User')
  disable(@CurrentAbility() ability: AppAbility, @CurrentActor() actor: Actor, @Param('id', IdPipe) id: string) {
    return this.users.disable(ability, actor, id);
  }

  @Post('users/:id/enable')
  @ApiView(UserView)
  @HttpCode(200)
  @Can('update', 'User')
  enable(@CurrentAbility() ability: AppAbility, @Param('id', IdPipe) id: string) {
    return this.users.enable(ability, id);
  }

  @Post('users/:id/reset-mfa')
  @ApiView(UserView)
  @HttpCode(200)
  @Can('update', 'User')
  resetMfa(@CurrentAbility() ability: AppAbility, @Param('id', IdPipe) id: string) {
    return this.users.resetMfa(ability, id);
  }

  @Post('users/:id/invite')
  @ApiView(PasswordLinkView)
  @HttpCode(200)
  @Can('update', 'User')
  invite(@CurrentAbility() ability: AppAbility, @Param('id', IdPipe) id: string) {
    return this.users.sendPasswordLink(ability, id);
  }
}
