import { ApiNoContent, ApiView } from '../common/api-views.js';
import { MfaSetupView, TokenPairView } from './auth.views.js';
import { Body, Controller, Headers, HttpCode, Post, Req, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../authorization/actor.js';
import { AllowWithoutMfa, Authenticated, CurrentActor, Public } from '../authorization/policies.js';
import { UsersService } from '../users/users.service.js';
import { API } from '../common/api.js';
import type { User } from '../users/user.entity.js';
import { AuthService } from './auth.service.js';
import { LocalAuthGuard } from './local-auth.guard.js';
import { ChangePasswordDto, LoginDto, LogoutDto, OtpDto, RefreshDto, SetPasswordDto } from './dto/auth.dto.js';

@ApiTags('auth')
@Controller(`${API}/auth`)
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly users: UsersService,
  ) {}

  @Post('login')
  @ApiView(TokenPairView)
  @Public()
  @HttpCode(200)
  @UseGuards(LocalAuthGuard)
  @ApiBody({ type: LoginDto })
  login(@Req() req: { user: User }) {
    return this.auth.login(req.user);
  }

  @Post('refresh')
  @ApiView(TokenPairView)
  @Public()
  @HttpCode(200)
  refresh(@Body() dto: RefreshDto) {
    return this.auth.refresh(dto.refreshToken);
  }

  @Post('logout')
  @ApiNoContent()
  @Public()
  @HttpCode(204)
  async logout(@Body() dto: LogoutDto, @Headers('authorization') authorization?: string) {
    const bearer = /^Bearer (\S+)$/i.exec(authorization ?? '')?.[1];
    await this.auth.logout(dto.refreshToken, bearer);
  }

  /** Completes an invitation or a reset with the token from the e-mail. */
  @Post('set-password')
  @ApiNoContent()
  @Public()
  @HttpCode(204)
  async setPassword(@Body() dto: SetPasswordDto) {
    await this.users.setPassword(dto.token, dto.password);
  }

  @Post('password')
  @ApiNoContent()
  @ApiBearerAuth()
  @Authenticated()
  @HttpCode(204)
  async changePassword(@CurrentActor() actor: Actor, @Body() dto: ChangePasswordDto) {
    await this.auth.changePassword(actor, dto.currentPassword, dto.newPassword);
  }

  @Post('mfa/setup')
  @ApiView(MfaSetupView)
  @ApiBearerAuth()
  @Authenticated()
  @AllowWithoutMfa()
  @HttpCode(200)
  startMfa(@CurrentActor() actor: Actor) {
    return this.auth.startMfa(actor);
  }

  @Post('mfa/enable')
  @ApiView(TokenPairView)
  @ApiBearerAuth()
  @Authenticated()
  @AllowWithoutMfa()
  @HttpCode(200)
  enableMfa(@CurrentActor() actor: Actor, @Body() dto: OtpDto) {
    return this.auth.enableMfa(actor, dto.otp);
  }
}
