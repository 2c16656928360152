import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * Bounds on a JSON body's shape, checked on the raw bytes before JSON.parse (body-parser's `verify`
 * hook): a 6 KB body of 3,000 nested arrays, or a megabyte of tiny values, costs the scan a few
 * microseconds to refuse instead of overflowing class-transformer's stack or holding the event loop.
 * No API body comes near these.
 */
export const JSON_MAX_DEPTH = 32;
export const JSON_MAX_VALUES = 20_000;

/** Which bound a JSON text breaks, if any (strings, containers and commas count as values). */
export function jsonShapeProblem(buf: Uint8Array, maxDepth = JSON_MAX_DEPTH, maxValues = JSON_MAX_VALUES): 'depth' | 'values' | null {
  let depth = 0;
  let values = 0;
  let inString = false;
  for (let i = 0; i < buf.length; i++) {
    const c = buf[i];
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped byte
      else if (c === 0x22) inString = false;
      continue;
    }
    if (c === 0x22) {
      inString = true;
      values++;
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > maxDepth) return 'depth';
      values++;
    } else if (c === 0x5d || c === 0x7d) depth--;
    else if (c === 0x2c) values++;
    if (values > maxValues) return 'values';
  }
  return null;
}

/** body-parser `verify`: refuses a body beyond the bounds with a typed error (→ 400 BODY_TOO_COMPLEX). */
export function rejectComplexJson(_req: IncomingMessage, _res: unknown, buf: Buffer): void {
  const problem = jsonShapeProblem(buf);
  if (problem) throw Object.assign(new Error(`JSON body beyond the ${problem} bound`), { type: 'entity.too.complex', status: 400 });
}

/** Form bodies (`extended: false`, so never nested): at most this many fields. */
export const FORM_MAX_FIELDS = 500;

/** Sign-in, refresh, sign-out and set-password bodies are a few hundred bytes. */
export const PUBLIC_AUTH_BODY_LIMIT = '16kb';

/**
 * A caller without a valid access token (header or page cookie) gets this much on any route: an
 * anonymous flood of large bodies is refused from its Content-Length, before a byte is buffered.
 */
export const ANONYMOUS_BODY_LIMIT = '64kb';

type Middleware = (req: IncomingMessage, res: ServerResponse, next: (err?: unknown) => void) => void;

/** Whether a request announces a body: body-parser's own test (type-is `hasBody`, Transfer-Encoding or a Content-Length). */
export const hasBody = (req: IncomingMessage): boolean => req.headers['transfer-encoding'] !== undefined || !Number.isNaN(Number(req.headers['content-length']));

/**
 * Runs `signedIn` for requests that carry a verifying access token, `anonymous` for the rest. A
 * request without a body (every GET) goes to `anonymous` unchecked: a parser passes such a request
 * on untouched whatever its limit, so its token is verified once, by the guard, not here as well.
 */
export function byCaller(hasValidToken: (req: IncomingMessage) => boolean, signedIn: Middleware, anonymous: Middleware): Middleware {
  return (req, res, next) => (hasBody(req) && hasValidToken(req) ? signedIn : anonymous)(req, res, next);
}

/**
 * The body parsers as one middleware: a request without a body (every GET) passes all of them in one
 * step — each would only have seen that there is no body and passed it on (body-parser's `read`),
 * leaving `req.body` undefined as they do. A request with a body goes through them in turn.
 */
export function parseBodies(...parsers: Middleware[]): Middleware {
  return (req, res, next) => {
    if (!hasBody(req)) {
      if (!('body' in req)) (req as { body?: unknown }).body = undefined;
      next();
      return;
    }
    let i = 0;
    const step = (err?: unknown): void => (err || i === parsers.length ? next(err) : parsers[i++]!(req, res, step));
    step();
  };
}
