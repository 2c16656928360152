import { Body, Controller, Get, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../../authorization/policies.js';
import { AuthService } from '../../auth/auth.service.js';
import { SessionCookies } from '../../auth/session-cookies.js';
import { UsersService } from '../../users/users.service.js';
import type { User } from '../../users/user.entity.js';
import { Csrf } from '../csrf.js';
import { asFormError, attempt, field, parseForm, type FormBody } from '../forms.js';
import { OtpDto } from '../../auth/dto/auth.dto.js';
import { DomainError } from '../../common/domain-error.js';
import { isLanguage } from '../i18n/i18n.js';
import { safeNext, Views, type PageRequest } from '../views.service.js';

const OTP_TICKET_COOKIE = 'tawjih_otp';

/** Sign-in (password, then the code when a second factor is enrolled), sign-out, set-password, language. */
@ApiExcludeController()
@Controller()
export class AuthPagesController {
  constructor(
    private readonly views: Views,
    private readonly auth: AuthService,
    private readonly users: UsersService,
    private readonly sessions: SessionCookies,
    private readonly csrf: Csrf,
  ) {}

  @Get('login')
  @Public()
  async loginForm(@Req() req: PageRequest, @Res() res: Response, @Query('next') next?: string) {
    if (req.user) return res.redirect(303, safeNext(next));
    await this.views.send(req, res, 'login', { title: 'login.title', next: safeNext(next) });
  }

  @Post('login')
  @Public()
  async login(@Req() req: PageRequest, @Res() res: Response, @Body() body: FormBody) {
    const email = field(body, 'email', 254).trim().toLowerCase();
    const next = safeNext(field(body, 'next'));
    const r = await attempt(() => this.auth.beginLogin(email, field(body, 'password', 256)));
    if (!r.ok) return this.views.send(req, res, 'login', { title: 'login.title', next, email, error: r.error }, r.error.status);
    if ('user' in r.value) return this.signIn(req, res, r.value.user, next);
    res.cookie(OTP_TICKET_COOKIE, r.value.otpTicket, { ...this.sessions.options(5 * 60_000), path: '/login' });
    await this.views.send(req, res, 'login-otp', { title: 'login.otpTitle', next });
  }

  @Post('login/otp')
  @Public()
  async loginOtp(@Req() req: PageRequest, @Res() res: Response, @Body() body: FormBody) {
    const next = safeNext(field(body, 'next'));
    const ticket = this.sessions.cookie(req, OTP_TICKET_COOKIE) ?? '';
    const r = await attempt(async () => this.auth.finishLogin(ticket, (await parseForm(OtpDto, { otp: field(body, 'otp', 10).trim() })).otp));
    if (!r.ok) {
      // A malformed or wrong code: the code form again, the error beside the code.
      const view = r.error.code === 'OTP_INVALID' || r.error.code === 'VALIDATION_FAILED' ? 'login-otp' : 'login';
      return this.views.send(req, res, view, { title: view === 'login' ? 'login.title' : 'login.otpTitle', next, error: view === 'login-otp' ? asFormError(r.error, undefined, 'otp') : r.error }, r.error.status);
    }
    res.clearCookie(OTP_TICKET_COOKIE, { ...this.sessions.options(), path: '/login' });
    await this.signIn(req, res, r.value, next);
  }

  /** Public so that an expired session can still sign out (the form's token still protects it). */
  @Post('logout')
  @Public()
  async logout(@Req() req: PageRequest, @Res() res: Response) {
    await this.sessions.end(req, res);
    this.csrf.ensureSession(req, res, true);
    res.redirect(303, '/login?notice=loggedOut');
  }

  /** The target of the invitation and reset e-mails. */
  @Get('set-password')
  @Public()
  async setPasswordForm(@Req() req: PageRequest, @Res() res: Response, @Query('token') token?: string) {
    await this.views.send(req, res, 'set-password', { title: 'setPassword.title', token: typeof token === 'string' ? token.slice(0, 200) : '' });
  }

  @Post('set-password')
  @Public()
  async setPassword(@Req() req: PageRequest, @Res() res: Response, @Body() body: FormBody) {
    const token = field(body, 'token', 200);
    const password = field(body, 'password', 256);
    const page = { title: 'setPassword.title', token };
    if (password !== field(body, 'confirm', 256)) {
      return this.views.send(req, res, 'set-password', { ...page, error: new DomainError(400, 'PASSWORD_MISMATCH', 'The two passwords differ.', [{ field: 'confirm', message: 'does not match the password' }]) }, 400);
    }
    const r = await attempt(() => this.users.setPassword(token, password));
    if (!r.ok) return this.views.send(req, res, 'set-password', { ...page, error: r.error }, r.error.status);
    res.redirect(303, '/login?notice=passwordSet');
  }

  /** Switches the language: a cookie for everyone, and the account's preference when signed in. */
  @Post('language')
  @Public()
  async language(@Req() req: PageRequest, @Res() res: Response, @Body() body: FormBody) {
    const lang = field(body, 'lang', 5);
    if (isLanguage(lang)) {
      res.cookie(this.sessions.names.lang, lang, this.sessions.options(365 * 86_400_000));
      if (req.user) await this.users.updateMe(req.user, { language: lang });
    }
    res.redirect(303, safeNext(field(body, 'next'), '/'));
  }

  private async signIn(req: PageRequest, res: Response, user: User, next: string): Promise<void> {
    // A language chosen before signing in (link, switcher) is kept: it becomes the account's.
    const chosen = this.sessions.cookie(req, this.sessions.names.lang);
    if (isLanguage(chosen) && chosen !== user.language) await this.users.setLanguage(user.id, chosen);
    this.sessions.start(res, await this.auth.login(user));
    this.csrf.ensureSession(req, res, true);
    res.redirect(303, next);
  }
}
