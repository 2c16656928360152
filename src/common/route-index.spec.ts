import { once } from 'node:events';
import http, { type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type NextFunction, type Request, type Response } from 'express';
import { indexRoutes } from './route-index.js';

/** The same app twice, one of them indexed: every request must get the same answer from both. */
function build(indexed: boolean) {
  const app = express();
  const seen = (tag: string) => (req: Request, res: Response) =>
    res.json({ tag, params: req.params, path: req.path, baseUrl: req.baseUrl, url: req.url, trail: (req as { trail?: string[] }).trail ?? [] });
  const mark = (tag: string) => (req: Request, _res: Response, next: NextFunction) => {
    ((req as { trail?: string[] }).trail ??= []).push(tag);
    next();
  };
  app.use(mark('global'));
  // Route-level middleware as Nest registers it for the pages (CSRF): a route that calls next.
  for (const p of ['/cases', '/cases/:id', '/account/', '/login']) app.get(p, mark(`mw ${p}`));
  app.post('/cases/:id', mark('mw post /cases/:id'));
  app.get('/api/v1/cases', seen('list'));
  app.get('/api/v1/cases/:id', seen('detail'));
  app.get('/api/v1/cases/:id/needs', (_req, _res, next) => next('route'));
  app.get('/api/v1/cases/:id/needs', seen('needs second'));
  app.post('/api/v1/cases', seen('create'));
  app.get('/api/v1/boom', () => {
    throw new Error('boom');
  });
  app.get('/api/v1/me', seen('me'));
  app.get('/api/hsds/services/:id', seen('hsds'));
  app.get('/api/v1/reports/x.:ext', seen('ext'));
  app.get('/', seen('home'));
  app.get('/cases', seen('cases page'));
  app.get('/cases/:id', seen('case page'));
  app.post('/cases/:id', seen('case post'));
  app.get('/account/', seen('account'));
  app.get('/login', seen('login'));
  app.get('/:anything/deep', seen('param first'));
  app.get('/services/:id', seen('service'));
  app.get('/health', seen('health'));
  app.use((req, res) => res.status(404).json({ tag: 'not found', path: req.path, trail: (req as { trail?: string[] }).trail ?? [] }));
  app.use((err: Error, _req: Request, res: Response, _next: NextFunction) => res.status(500).json({ tag: 'error', message: err.message }));
  if (indexed) indexRoutes(app as never, 4);
  return app;
}

const paths = [
  '/api/v1/cases', '/api/v1/cases?x=1', '/api/v1/cases/', '/API/V1/Cases', '/api/v1/c%61ses', '//api/v1/cases', '/api/v1/cases/42',
  '/api/v1/cases/%E0%A4%A', '/api/v1/cases/42/needs', '/api/v1/boom', '/api/v1/me', '/api/v1/mE', '/api/hsds/services/7', '/api/v1/reports/x.csv',
  '/api/v1/nope', '/api', '/', '/cases', '/cases/9', '/CASES/9', '/account', '/account/', '/login', '/x/deep', '/cases/deep', '/services/3',
  '/health', '/health/', '/é', '/api/v1/cases#frag', 'http://example.test/api/v1/cases', '/api/v1/cases;x',
];

describe('indexRoutes (routes found by their leading segments)', () => {
  let plain: Server;
  let indexed: Server;
  beforeAll(async () => {
    plain = build(false).listen(0, '127.0.0.1');
    indexed = build(true).listen(0, '127.0.0.1');
    await Promise.all([once(plain, 'listening'), once(indexed, 'listening')]);
  });
  afterAll(() => {
    plain.close();
    indexed.close();
  });

  const ask = (server: Server, method: string, path: string) =>
    new Promise<{ status: number; allow?: string; body: string }>((resolve, reject) => {
      const r = http.request({ host: '127.0.0.1', port: (server.address() as AddressInfo).port, method, path }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode!, allow: res.headers.allow, body }));
      });
      r.on('error', reject);
      r.end();
    });

  it('replaces the long run of routes with one layer', () => {
    const app = build(true) as unknown as { router: { stack: Array<{ route?: unknown }> } };
    expect(app.router.stack.filter((l) => l.route)).toHaveLength(0);
  });

  it.each(['GET', 'HEAD', 'POST', 'OPTIONS', 'DELETE'])('answers every %s request as the plain walk does', async (method) => {
    for (const path of paths) {
      const [a, b] = await Promise.all([ask(plain, method, path), ask(indexed, method, path)]);
      expect({ path, ...b }).toEqual({ path, ...a });
    }
  });
});
