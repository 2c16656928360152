import type { IncomingMessage, ServerResponse } from 'node:http';
import { byCaller, hasBody } from './body-limits.js';

const request = (headers: Record<string, string>) => ({ headers }) as unknown as IncomingMessage;

describe('byCaller (which body limit a request gets)', () => {
  const run = (req: IncomingMessage, valid: boolean) => {
    const checked: IncomingMessage[] = [];
    const chose: string[] = [];
    const mw = byCaller(
      (r) => (checked.push(r), valid),
      (_req, _res, next) => (chose.push('signed-in'), next()),
      (_req, _res, next) => (chose.push('anonymous'), next()),
    );
    mw(req, {} as ServerResponse, () => undefined);
    return { checked: checked.length, chose: chose[0] };
  };

  it('gives a body from a caller with a verifying token the signed-in limit, any other body the anonymous one', () => {
    expect(run(request({ 'content-length': '10' }), true)).toEqual({ checked: 1, chose: 'signed-in' });
    expect(run(request({ 'transfer-encoding': 'chunked' }), true)).toEqual({ checked: 1, chose: 'signed-in' });
    expect(run(request({ 'content-length': '10' }), false)).toEqual({ checked: 1, chose: 'anonymous' });
  });

  it('does not verify the token of a request without a body (a GET): no parser reads it', () => {
    expect(run(request({ authorization: 'Bearer x' }), true)).toEqual({ checked: 0, chose: 'anonymous' });
  });

  it('reads a body as body-parser does (type-is hasBody)', () => {
    expect(hasBody(request({}))).toBe(false);
    expect(hasBody(request({ 'content-length': 'abc' }))).toBe(false);
    expect(hasBody(request({ 'content-length': '0' }))).toBe(true);
    expect(hasBody(request({ 'transfer-encoding': 'chunked' }))).toBe(true);
  });
});
