import { createHmac } from 'node:crypto';

const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');

/** Builds a JWT by hand, to forge the ones the API must refuse. */
export function forgeJwt(payload: object, opts: { alg?: string; secret?: string } = {}): string {
  const alg = opts.alg ?? 'HS256';
  const head = `${b64({ alg, typ: 'JWT' })}.${b64(payload)}`;
  if (alg === 'none') return `${head}.`;
  return `${head}.${createHmac('sha256', opts.secret ?? 'x').update(head).digest('base64url')}`;
}
