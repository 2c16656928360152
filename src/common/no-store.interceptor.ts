import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { Observable } from 'rxjs';

/** `Cache-Control: no-store` on every response of a controller (answers and errors) holding personal data. */
@Injectable()
export class NoStoreInterceptor implements NestInterceptor {
  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    const res = ctx.switchToHttp().getResponse<Response>();
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Pragma', 'no-cache');
    return next.handle();
  }
}

/**
 * The default for every response but static assets (issue #12): nothing the API or the pages answer
 * may sit in a browser's or a proxy's cache — names, phones, referrals, exports, errors. A handler
 * that wants caching sets its own header after this.
 */
export function noStoreByDefault(assetsPrefix: string) {
  return (req: Request, res: Response, next: () => void): void => {
    if (!req.path.startsWith(assetsPrefix)) {
      res.setHeader('Cache-Control', 'no-store');
      res.setHeader('Pragma', 'no-cache');
    }
    next();
  };
}
