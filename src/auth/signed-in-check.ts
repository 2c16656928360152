import type { IncomingMessage } from 'node:http';
import type { JwtService } from '@nestjs/jwt';
import type { SessionCookies } from './session-cookies.js';

/**
 * Whether a request carries an access token that verifies (signature, issuer, audience, expiry) in
 * its Authorization header or its page cookie — a few microseconds, no database: enough to give
 * signed-in callers the full body limit before the guard has run (see app.setup.ts).
 */
export function signedInCheck(jwt: JwtService, sessions: SessionCookies): (req: IncomingMessage) => boolean {
  const cookieName = `${sessions.names.access}=`;
  // One verification per request, however many body parsers ask (JSON, form, NDJSON).
  const verdicts = new WeakMap<IncomingMessage, boolean>();
  return (req) => {
    let verdict = verdicts.get(req);
    if (verdict === undefined) verdicts.set(req, (verdict = verifies(req)));
    return verdict;
  };

  function verifies(req: IncomingMessage): boolean {
    const header = req.headers.authorization;
    let token = typeof header === 'string' && header.startsWith('Bearer ') ? header.slice(7) : undefined;
    if (!token) {
      const cookie = (req.headers.cookie ?? '').split(/;\s*/).find((c) => c.startsWith(cookieName));
      token = cookie ? decodeURIComponent(cookie.slice(cookieName.length)) : undefined;
    }
    if (!token || token.length > 4096) return false;
    try {
      jwt.verify(token);
      return true;
    } catch {
      return false;
    }
  }
}
