import type request from 'supertest';

/** Supertest: collect a binary body (PDF, XLSX, zip) as a Buffer. */
export const binary = (res: request.Response, cb: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
};

/**
 * Supertest: a streamed text body (NDJSON, CSV) as one string, decoded as a stream so that an
 * Arabic or accented letter split across two chunks stays whole.
 */
export const utf8Text = (res: request.Response, cb: (err: Error | null, body: string) => void) => {
  let text = '';
  res.setEncoding('utf8');
  res.on('data', (c: string) => (text += c));
  res.on('end', () => cb(null, text));
};
