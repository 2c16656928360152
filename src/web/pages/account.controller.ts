import { Body, Controller, Get, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import type { Actor } from '../../authorization/actor.js';
import { AllowWithoutMfa, Authenticated, CurrentActor } from '../../authorization/policies.js';
import { AuthService } from '../../auth/auth.service.js';
import { SessionCookies } from '../../auth/session-cookies.js';
import { UsersService } from '../../users/users.service.js';
import { asFormError, attempt, field, parseForm, type FormBody } from '../forms.js';
import { OtpDto } from '../../auth/dto/auth.dto.js';
import { Views, type PageRequest } from '../views.service.js';

/** The signed-in user's own account: language and second-factor enrolment (reachable before enrolment). */
@ApiExcludeController()
@Controller('account')
export class AccountController {
  constructor(
    private readonly views: Views,
    private readonly users: UsersService,
    private readonly auth: AuthService,
    private readonly sessions: SessionCookies,
  ) {}

  @Get()
  @Authenticated()
  @AllowWithoutMfa()
  async show(@Req() req: PageRequest, @Res() res: Response, @CurrentActor() actor: Actor) {
    await this.page(req, res, actor);
  }

  @Post('mfa/start')
  @Authenticated()
  @AllowWithoutMfa()
  async startMfa(@Req() req: PageRequest, @Res() res: Response, @CurrentActor() actor: Actor) {
    const r = await attempt(() => this.auth.startMfa(actor));
    await this.page(req, res, actor, r.ok ? { enrolment: r.value } : { error: r.error }, r.ok ? 200 : r.error.status);
  }

  @Post('mfa/enable')
  @Authenticated()
  @AllowWithoutMfa()
  async enableMfa(@Req() req: PageRequest, @Res() res: Response, @CurrentActor() actor: Actor, @Body() body: FormBody) {
    const r = await attempt(async () => this.auth.enableMfa(actor, (await parseForm(OtpDto, { otp: field(body, 'otp', 10).trim() })).otp));
    // Still enrolling: the key again, with the error beside the code.
    if (!r.ok) return this.page(req, res, actor, { error: asFormError(r.error, undefined, 'otp'), enrolment: await this.auth.pendingEnrolment(actor) }, r.error.status);
    // Enabling bumps the token version: the session continues on the pair issued with the factor.
    this.sessions.start(res, r.value);
    res.redirect(303, '/account?notice=mfaEnabled');
  }

  private async page(req: PageRequest, res: Response, actor: Actor, extra: Record<string, unknown> = {}, status = 200) {
    const me = await this.users.me(actor);
    const mfaRequired = this.auth.mfaRequiredFor(actor) && !(req.user as { mfa?: boolean }).mfa;
    await this.views.send(req, res, 'account/index', { title: 'account.title', account: me, mfaRequired, ...extra }, status);
  }
}
