import { AsyncLocalStorage } from 'node:async_hooks';
import type { NextFunction, Request, Response } from 'express';

/** What the audit trail needs to know about the HTTP request a change or a read came from. */
export interface RequestInfo {
  /** Method and path, without the query string (queries may carry filter values). */
  route: string;
  ip: string | null;
  correlationId: string | null;
}

const als = new AsyncLocalStorage<RequestInfo>();

/** The current request, or undefined outside one (jobs, CLI commands, tests calling services). */
export const currentRequest = (): RequestInfo | undefined => als.getStore();

/** Express middleware: everything downstream of it (guards, services, repositories) sees the request info. */
export function requestContext(req: Request & { id?: unknown }, _res: Response, next: NextFunction): void {
  const info: RequestInfo = {
    route: `${req.method} ${(req.originalUrl ?? req.url).split('?')[0]}`.slice(0, 300),
    ip: req.ip ?? null,
    correlationId: req.id !== undefined ? String(req.id) : null,
  };
  als.run(info, next);
}
