import { DomainError } from './domain-error.js';

/**
 * Telling an outage from a fault of the request. A database that cannot be reached, restarts or
 * drops its connections, and a mail server that does not answer, are conditions the client should
 * wait out: they are answered 503 with Retry-After, never "your token is invalid" (401) nor a bare 500.
 */

/** SQLSTATE classes and codes that mean "the database is not there right now". */
const PG_OUTAGE_STATES = new Set(['57P01', '57P02', '57P03', '53300', '53400']);
/** Socket errors of a peer (PostgreSQL or SMTP) that is down or unreachable. */
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNABORTED']);
/** Nodemailer's codes for a mail server that cannot be reached or does not answer in time. */
const SMTP_CODES = new Set(['ECONNECTION', 'ESOCKET', 'EDNS', 'EGREETING']);
/** node-postgres (pg, pg-pool) says these in words, without a code. */
const PG_CLIENT_TEXTS = [
  'Connection terminated',
  'timeout exceeded when trying to connect',
  'Client has encountered a connection error and is not queryable',
  'Client was closed and is not queryable',
  'Cannot use a pool after calling end on the pool',
  'terminating connection due to administrator command',
  'the database system is starting up',
  'the database system is shutting down',
  'the database system is in recovery mode',
];

export type OutageKind = 'database' | 'mail';

const get = (x: unknown, k: string): unknown => (x && typeof x === 'object' ? (x as Record<string, unknown>)[k] : undefined);

/** The kind of outage `err` is (following TypeORM's driverError and `cause`), or null. */
export function outageKind(err: unknown, depth = 0): OutageKind | null {
  if (!err || typeof err !== 'object' || depth > 4) return null;
  if (err instanceof DomainError) return err.status === 503 ? ((err.extra?.outage as OutageKind | undefined) ?? 'database') : null;
  const code = get(err, 'code');
  const command = get(err, 'command');
  if (typeof code === 'string') {
    if (PG_OUTAGE_STATES.has(code) || /^08/.test(code)) return 'database';
    // Nodemailer's errors carry its own codes, or the SMTP `command` that was under way.
    if (SMTP_CODES.has(code) || (command !== undefined && (code === 'ETIMEDOUT' || SOCKET_CODES.has(code)))) return 'mail';
    if (SOCKET_CODES.has(code)) return 'database';
  }
  const message = get(err, 'message');
  if (typeof message === 'string' && PG_CLIENT_TEXTS.some((t) => message.includes(t))) return 'database';
  return outageKind(get(err, 'driverError'), depth + 1) ?? outageKind(get(err, 'cause'), depth + 1);
}

export const isOutage = (err: unknown): boolean => outageKind(err) !== null;

/** Seconds a client should wait before trying again after an outage. */
export const RETRY_AFTER_SECONDS = 5;

export const OUTAGE_PROBLEMS: Record<OutageKind, { code: string; detail: string }> = {
  database: { code: 'DATABASE_UNAVAILABLE', detail: 'The database cannot be reached right now; try again in a few seconds.' },
  mail: { code: 'MAIL_UNAVAILABLE', detail: 'The mail server cannot be reached right now; try again in a few seconds.' },
};
