import { randomUUID } from 'node:crypto';
import { mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LoggerService } from '@nestjs/common';
import pino, { type DestinationStream, type Level, type Logger } from 'pino';
import type { AppConfig } from '../config/config.js';

export function createRootLogger(config: AppConfig): Logger {
  return pino(
    { level: config.logLevel, base: { app: 'tawjih' }, redact: { paths: ['*.password', '*.token', '*.otp', '*.secret'], remove: true } },
    destination(config),
  );
}

/**
 * In production, lines are buffered and written 4 KB at a time (and at least every second, by
 * sonic-boom's own flush timer), not one write per line: a request's log line was a system call of
 * its own (issue #18). pino flushes the buffer synchronously when the process exits, an uncaught
 * exception or a stop by signal included; what a kill -9, an out-of-memory kill or a power cut
 * interrupts — at most the last second's lines, 4 KB or so — is lost (pino's documented caveat of
 * asynchronous logging). Elsewhere (tests, development) every line is written at once.
 */
function destination(config: AppConfig): DestinationStream | undefined {
  if (config.env !== 'production') return config.logFile ? pino.destination({ dest: config.logFile, sync: true, mkdir: true }) : undefined;
  // The file opened here, synchronously: an asynchronous open not yet done when the process exits
  // would make pino's flush at exit throw instead of writing.
  if (config.logFile) mkdirSync(dirname(config.logFile), { recursive: true });
  return pino.destination({ dest: config.logFile ? openSync(config.logFile, 'a') : 1, sync: false, minLength: 4096, periodicFlush: 1000 });
}

const REQUEST_ID = /^[A-Za-z0-9._-]{8,100}$/;

/** 503 is an outage answered as such (database restarting, statement timeout): expected, so a warning. */
const levelOf = (status: number, err: unknown): Level => (status === 503 ? 'warn' : err || status >= 500 ? 'error' : status >= 400 ? 'warn' : 'info');

/**
 * Request logs with a correlation id: one line per answered request, `req` (id, method, path),
 * `res` (status), `responseTime` — the lines pino-http wrote, without its per-request child logger
 * and serializer wrappers (issue #18); a line whose level is off is not built. Bodies, query strings,
 * cookies and headers are never logged: that is where personal data and secrets travel.
 */
export function httpLogger(logger: Logger): (req: IncomingMessage & { id?: unknown }, res: ServerResponse, next: () => void) => void {
  return (req, res, next) => {
    const given = req.headers['x-request-id'];
    const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    res.setHeader('X-Request-Id', id);
    req.id = id;
    if (req.url === '/health') {
      next();
      return;
    }
    const started = Date.now();
    const line = { id, method: req.method, path: (req.url ?? '').split('?')[0] };
    const done = (err?: Error): void => {
      res.removeListener('close', done);
      res.removeListener('finish', done);
      res.removeListener('error', done);
      const level = levelOf(res.statusCode, err);
      if (!logger.isLevelEnabled(level)) return;
      // As pino's response serializer: no status while no header was sent (the client went away first).
      const answered = { statusCode: res.headersSent ? res.statusCode : null };
      const responseTime = Date.now() - started;
      if (err || res.statusCode >= 500) {
        logger[level]({ req: line, res: answered, err: err ?? new Error(`failed with status code ${res.statusCode}`), responseTime }, 'request errored');
      } else {
        logger[level]({ req: line, res: answered, responseTime }, 'request completed');
      }
    };
    res.on('close', done);
    res.on('finish', done);
    res.on('error', done);
    next();
  };
}

/** Nest's own logging (and every `new Logger(ctx)`) into the same pino JSON stream. */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  private write(level: 'info' | 'error' | 'warn' | 'debug' | 'trace', message: unknown, rest: unknown[]): void {
    const context = typeof rest.at(-1) === 'string' ? (rest.at(-1) as string) : undefined;
    if (message && typeof message === 'object') {
      const msg = typeof rest[0] === 'string' && rest.length > 1 ? rest[0] : undefined;
      this.logger[level]({ context, ...(message as object) }, msg);
    } else {
      this.logger[level]({ context }, String(message));
    }
  }

  log(message: unknown, ...rest: unknown[]) {
    this.write('info', message, rest);
  }
  error(message: unknown, ...rest: unknown[]) {
    this.write('error', message, rest);
  }
  warn(message: unknown, ...rest: unknown[]) {
    this.write('warn', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]) {
    this.write('debug', message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]) {
    this.write('trace', message, rest);
  }
  fatal(message: unknown, ...rest: unknown[]) {
    this.write('error', message, rest);
  }
}
