import type { IncomingMessage } from 'node:http';
import type { JwtService } from '@nestjs/jwt';
import type { SessionCookies } from './session-cookies.js';
import { signedInCheck } from './signed-in-check.js';

describe('signedInCheck', () => {
  const sessions = { names: { access: 'tawjih_at' } } as SessionCookies;
  const verified: string[] = [];
  const jwt = {
    verify: (token: string) => {
      verified.push(token);
      if (token !== 'good') throw new Error('invalid');
      return {};
    },
  } as unknown as JwtService;

  it('verifies a request’s token once however many parsers ask, from the header or the page cookie', () => {
    const check = signedInCheck(jwt, sessions);
    const header = { headers: { authorization: 'Bearer good' } } as unknown as IncomingMessage;
    const cookie = { headers: { cookie: 'a=b; tawjih_at=good' } } as unknown as IncomingMessage;
    const forged = { headers: { authorization: 'Bearer bad' } } as unknown as IncomingMessage;
    verified.length = 0;
    expect([check(header), check(header), check(header)]).toEqual([true, true, true]);
    expect([check(cookie), check(cookie)]).toEqual([true, true]);
    expect([check(forged), check(forged)]).toEqual([false, false]);
    expect(verified).toEqual(['good', 'good', 'bad']);
  });
});
