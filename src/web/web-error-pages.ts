import { Injectable, Logger } from '@nestjs/common';
import type { Response } from 'express';
import type { Problem } from '../common/problem.filter.js';
import { isPagePath } from '../auth/session-cookies.js';
import { Views, type PageRequest } from './views.service.js';

/**
 * What a browser sees when a page route fails (the global problem filter hands page paths here):
 * not signed in → the sign-in page; second factor missing → the account page; out of scope or
 * missing → "not found"; a form without its anti-forgery token → a page that says so.
 */
@Injectable()
export class WebErrorPages {
  private readonly logger = new Logger('WebErrorPages');

  constructor(private readonly views: Views) {}

  handles(req: PageRequest): boolean {
    return isPagePath(req.path);
  }

  render(problem: Problem, req: PageRequest, res: Response): void {
    if (problem.status === 401) {
      const next = req.method === 'GET' ? `?next=${encodeURIComponent(req.originalUrl)}` : '';
      return res.redirect(303, `/login${next}`);
    }
    if (problem.code === 'MFA_REQUIRED') return res.redirect(303, '/account');
    const view =
      problem.code === 'CSRF_INVALID' ? 'errors/csrf' : problem.status === 404 ? 'errors/not-found' : problem.status === 403 ? 'errors/forbidden' : 'errors/error';
    const tr = this.views.translator(req);
    const key = `error.${problem.code}`;
    const message = problem.status >= 500 ? tr.t('error.server') : tr.has(key) ? tr.t(key) : tr.t('error.generic');
    this.views
      .send(req, res, view, { status: problem.status, message, correlationId: problem.correlationId }, problem.status)
      .catch((e: unknown) => {
        this.logger.error({ err: { type: (e as Error)?.name, stack: (e as Error)?.stack } }, 'error page failed');
        if (!res.headersSent) res.status(problem.status).type('text/plain').send(`${problem.status} ${problem.title}`);
      });
  }
}
