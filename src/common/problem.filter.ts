import { ArgumentsHost, Catch, HttpException, HttpStatus, Logger, type ExceptionFilter } from '@nestjs/common';
import type { Request, Response } from 'express';
import { ForbiddenError } from '@casl/ability';
import { DomainError, type FieldError } from './domain-error.js';
import { DecryptionError, KeysNotVerifiedError } from './crypto/field-cipher.js';
import { OUTAGE_PROBLEMS, outageKind, RETRY_AFTER_SECONDS } from './outage.js';

export interface Problem {
  type: string;
  title: string;
  status: number;
  code: string;
  detail?: string;
  instance?: string;
  correlationId?: string;
  errors?: FieldError[];
  [k: string]: unknown;
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

const CODES_BY_STATUS: Record<number, string> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'TOO_MANY_REQUESTS',
  503: 'SERVICE_UNAVAILABLE',
};

/** Errors thrown by body-parser before Nest sees the request carry a `type` and a `status`. */
interface BodyParserError {
  type?: string;
  status?: number;
  statusCode?: number;
}

/**
 * Turns every error into RFC 9457 problem+json. Only DomainError and HttpException texts reach
 * the client; anything else is a 500 with a generic text (the stack goes to the log, the SQL and
 * the values never to the client).
 */
export function toProblem(err: unknown): Problem {
  if (err instanceof DomainError) {
    return problem(err.status, err.code, err.detail, { errors: err.errors, ...err.extra });
  }
  if (err instanceof ForbiddenError) {
    return problem(403, 'FORBIDDEN', 'You are not allowed to do this.');
  }
  if (err instanceof HttpException && isBodyParserError(err.cause)) {
    return fromBodyParser(err.cause);
  }
  if (err instanceof HttpException) {
    const status = err.getStatus();
    const body = err.getResponse();
    const message = typeof body === 'string' ? body : (body as { message?: unknown }).message;
    const detail = Array.isArray(message) ? message.join('; ') : typeof message === 'string' ? message : undefined;
    return problem(status, CODES_BY_STATUS[status] ?? `HTTP_${status}`, detail);
  }
  if (isBodyParserError(err)) return fromBodyParser(err);
  if (err instanceof DecryptionError) {
    return problem(500, 'DECRYPTION_FAILED', 'A protected value could not be decrypted with the configured keys. The correlation id identifies it.');
  }
  if (err instanceof KeysNotVerifiedError) {
    return problem(500, 'KEYS_NOT_VERIFIED', 'The encryption keys have not been verified; nothing was written.');
  }
  const outage = outageKind(err);
  if (outage) return problem(503, OUTAGE_PROBLEMS[outage].code, OUTAGE_PROBLEMS[outage].detail);
  if (isStatementTimeout(err)) {
    return problem(503, 'QUERY_TIMEOUT', 'This request took longer than the database allows. Narrow it (a shorter period, a smaller place, fewer breakdowns) and try again.');
  }
  return problem(500, 'INTERNAL', 'Something went wrong on our side. The correlation id identifies it.');
}

/** PostgreSQL's query_canceled (SQLSTATE 57014): here, the statement timeout of the pool. */
function isStatementTimeout(e: unknown): boolean {
  const code = (x: unknown) => (x && typeof x === 'object' ? (x as { code?: unknown }).code : undefined);
  return code(e) === '57014' || code((e as { driverError?: unknown } | null)?.driverError) === '57014';
}

function isBodyParserError(e: unknown): e is BodyParserError {
  return Boolean(e) && typeof e === 'object' && typeof (e as BodyParserError).type === 'string';
}

/** Fixed texts: a JSON parser's own message can quote the body, which may hold personal data. */
function fromBodyParser(bp: BodyParserError): Problem {
  if (bp.type === 'entity.too.large') return problem(413, 'PAYLOAD_TOO_LARGE', 'The request body is too large.');
  if (bp.type === 'entity.parse.failed') return problem(400, 'MALFORMED_JSON', 'The request body is not valid JSON.');
  if (bp.type === 'entity.too.complex') return problem(400, 'BODY_TOO_COMPLEX', 'The request body is nested too deeply or holds too many values.');
  if (bp.type === 'parameters.too.many') return problem(400, 'BODY_TOO_COMPLEX', 'The form holds too many fields.');
  if (bp.type === 'encoding.unsupported' || bp.type === 'charset.unsupported') {
    return problem(415, 'UNSUPPORTED_MEDIA_TYPE', 'Unsupported request encoding.');
  }
  const s = bp.status ?? bp.statusCode ?? 400;
  return problem(s >= 400 && s < 500 ? s : 400, CODES_BY_STATUS[s] ?? 'BAD_REQUEST', 'The request could not be read.');
}

function problem(status: number, code: string, detail?: string, extra: Record<string, unknown> = {}): Problem {
  const p: Problem = {
    type: `https://tawjih.ma/problems/${code.toLowerCase().replace(/_/g, '-')}`,
    title: TITLES[status] ?? HttpStatus[status] ?? 'Error',
    status,
    code,
  };
  if (detail) p.detail = detail;
  for (const [k, v] of Object.entries(extra)) if (v !== undefined) p[k] = v;
  return p;
}

/** Renders errors of browser page routes as HTML (the web module's); the API keeps problem+json. */
export interface HtmlErrorRenderer {
  handles(req: Request): boolean;
  render(problem: Problem, req: Request, res: Response): void;
}

@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('Problem');

  constructor(private readonly html?: HtmlErrorRenderer) {}

  catch(err: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw err;
    const ctx = host.switchToHttp();
    const req = ctx.getRequest<Request & { id?: string }>();
    const res = ctx.getResponse<Response>();
    const p = toProblem(err);
    p.instance = req.originalUrl?.split('?')[0];
    p.correlationId = req.id ? String(req.id) : undefined;
    const e = err as Error;
    if (p.status === 503) {
      // Expected while the database or a peer is away: a warning, not an unhandled error.
      this.logger.warn({ code: p.code, err: { type: e?.name, code: (e as { code?: unknown })?.code }, correlationId: p.correlationId }, 'service unavailable');
    } else if (p.status >= 500) {
      // Log the error class and stack, not its message: driver messages can quote values.
      // A key id is not a secret: the operator needs it to find the wrong or missing key.
      const keyId = err instanceof DecryptionError ? err.keyId : undefined;
      this.logger.error({ code: p.code, keyId, err: { type: e?.name, stack: e?.stack?.split('\n').slice(1).join('\n') }, correlationId: p.correlationId }, 'unhandled error');
    }
    if (res.headersSent) return void res.end();
    if (p.status === 503) res.setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
    if (this.html?.handles(req)) return this.html.render(p, req, res);
    res.status(p.status).type('application/problem+json').send(JSON.stringify(p));
  }
}
