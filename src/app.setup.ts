import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { json, text, urlencoded, type NextFunction, type Request, type Response } from 'express';
import { declareProblems } from './common/api-views.js';
import helmet from 'helmet';
import cookieParser from 'cookie-parser';
import { createRootLogger, httpLogger, PinoNestLogger } from './common/logging.js';
import type { AppConfig } from './config/config.js';
import { ProblemFilter } from './common/problem.filter.js';
import { globalValidationPipe } from './common/validation.js';
import { authRateLimiter, RATE_LIMITED_PATHS, requestRateLimiter } from './auth/rate-limit.js';
import { ANONYMOUS_BODY_LIMIT, byCaller, FORM_MAX_FIELDS, parseBodies, PUBLIC_AUTH_BODY_LIMIT, rejectComplexJson } from './common/body-limits.js';
import { onceComputed } from './common/fixed-headers.js';
import { JwtService } from '@nestjs/jwt';
import { isPagePath, SessionCookies } from './auth/session-cookies.js';
import { signedInCheck } from './auth/signed-in-check.js';
import { requestContext } from './common/request-context.js';
import { noStoreByDefault } from './common/no-store.js';
import { WebErrorPages } from './web/web-error-pages.js';
import { ASSETS_PREFIX, PUBLIC_DIR } from './web/web-paths.js';
import { ReplicaReadsInterceptor } from './database/read-replica.js';

/** Everything about the HTTP surface that is not a route, shared by main.ts and the tests. */
export function configureApp(app: NestExpressApplication, config: AppConfig): void {
  const logger = createRootLogger(config);
  app.useLogger(new PinoNestLogger(logger));
  app.use(httpLogger(logger));
  app.use(requestContext);
  app.use(noStoreByDefault(ASSETS_PREFIX));
  app.set('trust proxy', 'loopback');
  app.disable('x-powered-by');
  // No ETag on answers: every one but static assets is no-store (above), so no client ever revalidates
  // one, and hashing each body for it is CPU per request (issue #18). Static assets keep theirs (serve-static).
  app.set('etag', false);
  // Bounded before any work (issue #12): a per-IP limit first, then bodies parsed within size,
  // depth and value-count bounds (anonymous auth bodies smaller still).
  app.use(requestRateLimiter(config, ASSETS_PREFIX));
  app.use('/api/v1/auth', json({ limit: PUBLIC_AUTH_BODY_LIMIT, verify: rejectComplexJson }));
  const signedIn = signedInCheck(app.get(JwtService), app.get(SessionCookies));
  const jsonUpTo = (limit: string) => json({ limit, verify: rejectComplexJson });
  const formUpTo = (limit: string) => urlencoded({ limit, extended: false, parameterLimit: FORM_MAX_FIELDS });
  app.use(
    parseBodies(
      byCaller(signedIn, jsonUpTo(config.http.bodyLimit), jsonUpTo(ANONYMOUS_BODY_LIMIT)),
      byCaller(signedIn, formUpTo(config.http.bodyLimit), formUpTo(ANONYMOUS_BODY_LIMIT)),
      // Directory imports: HSDS services as NDJSON (one JSON object per line).
      byCaller(signedIn, text({ type: 'application/x-ndjson', limit: '10mb' }), text({ type: 'application/x-ndjson', limit: ANONYMOUS_BODY_LIMIT })),
    ),
  );
  const https = config.publicUrl.startsWith('https:');
  if (config.env === 'production' && !https) {
    // Only reachable with ALLOW_INSECURE_HTTP=true (parseConfig refuses otherwise): say so loudly.
    logger.warn({ publicUrl: config.publicUrl }, 'ALLOW_INSECURE_HTTP=true: production over plain HTTP, cookies without Secure and no HSTS');
  }
  const directives = {
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'"],
    styleSrc: ["'self'"],
    imgSrc: ["'self'", 'data:'],
    formAction: ["'self'"],
    frameAncestors: ["'none'"],
    // Only behind HTTPS: on plain HTTP (a LAN install) it would break every form.
    upgradeInsecureRequests: https ? [] : null,
  };
  app.use(onceComputed(helmet({ contentSecurityPolicy: { directives }, referrerPolicy: { policy: 'no-referrer' }, hsts: https })));
  // Swagger UI ships one inline <style> block; allow inline styles on the docs page only.
  app.use('/api/docs', helmet.contentSecurityPolicy({ directives: { ...directives, styleSrc: ["'self'", "'unsafe-inline'"] } }));
  // Only pages read cookies (the API authenticates by header only, see session-cookies.ts): the API,
  // /health and the assets are not parsed for them (issue #18).
  const parseCookies = cookieParser();
  app.use((req: Request, res: Response, next: NextFunction) => (isPagePath(req.path) ? parseCookies(req, res, next) : next()));
  // Static CSS/JS: URLs carry a content hash (see web/views.service.ts), so they can be cached for a year.
  app.useStaticAssets(PUBLIC_DIR, { prefix: ASSETS_PREFIX, maxAge: '365d', immutable: true, index: false, fallthrough: true });
  app.use(RATE_LIMITED_PATHS, authRateLimiter(config));
  app.useGlobalPipes(globalValidationPipe());
  // Lag-tolerant routes read on the replica, when there is one (read-replica.ts).
  if (config.database.replicaUrl) app.useGlobalInterceptors(app.get(ReplicaReadsInterceptor));
  app.useGlobalFilters(new ProblemFilter(app.get(WebErrorPages)));
  // A graceful stop on what process managers send; not on every signal Nest knows (SIGUSR2 belongs to tools).
  app.enableShutdownHooks(['SIGTERM', 'SIGINT', 'SIGHUP']);

  const doc = declareProblems(SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Tawjih API')
      .setDescription('Referral and case management for counselling units, providers and coordinators. Errors are application/problem+json with a stable `code`.')
      .setVersion('1')
      .addBearerAuth()
      .build(),
  ));
  SwaggerModule.setup('api/docs', app, doc, { jsonDocumentUrl: 'api/openapi.json', raw: ['json'] });
}
