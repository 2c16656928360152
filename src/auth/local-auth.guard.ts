import { Injectable, type ExecutionContext } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { validationError } from '../common/domain-error.js';
import { AuthErrors } from './auth.errors.js';
import { LoginDto } from './dto/auth.dto.js';

/**
 * Passport's local strategy on the login route. Guards run before pipes, so the body is validated
 * here first: a malformed login is a 400 naming the field, not an anonymous 401.
 */
@Injectable()
export class LocalAuthGuard extends AuthGuard('local') {
  override async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const req = ctx.switchToHttp().getRequest<{ body: unknown }>();
    const dto = plainToInstance(LoginDto, req.body ?? {});
    const errors = await validate(dto, { whitelist: true, forbidNonWhitelisted: true });
    if (errors.length) {
      throw validationError(
        errors.flatMap((e) =>
          Object.keys(e.constraints ?? {}).map((rule) => ({
            field: e.property,
            message: rule === 'whitelistValidation' ? `unknown field "${e.property}"` : e.constraints![rule]!,
          })),
        ),
      );
    }
    req.body = dto;
    return (await super.canActivate(ctx)) as boolean;
  }

  override handleRequest<T>(err: unknown, user: T): T {
    if (err) throw err;
    if (!user) throw AuthErrors.invalidCredentials();
    return user;
  }
}
