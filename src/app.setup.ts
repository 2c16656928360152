import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { declareProblems } from './common/api-views.js';
import helmet from 'helmet';
import cookieParser from 'cookie-parser';
import { createRootLogger, httpLogger, PinoNestLogger } from './common/logging.js';
import type { AppConfig } from './config/config.js';
import { ProblemFilter } from './common/problem.filter.js';
import { globalValidationPipe } from './common/validation.js';
import { authRateLimiter, RATE_LIMITED_PATHS } from './auth/rate-limit.js';
import { requestContext } from './common/request-context.js';
import { WebErrorPages } from './web/web-error-pages.js';
import { ASSETS_PREFIX, PUBLIC_DIR } from './web/web-paths.js';

/** Everything about the HTTP surface that is not a route, shared by main.ts and the tests. */
export function configureApp(app: NestExpressApplication, config: AppConfig): void {
  const logger = createRootLogger(config);
  app.useLogger(new PinoNestLogger(logger));
  app.use(httpLogger(logger));
  app.use(requestContext);
  app.set('trust proxy', 'loopback');
  app.disable('x-powered-by');
  app.useBodyParser('json', { limit: config.http.bodyLimit });
  app.useBodyParser('urlencoded', { limit: config.http.bodyLimit, extended: false });
  // Directory imports: HSDS services as NDJSON (one JSON object per line).
  app.useBodyParser('text', { type: 'application/x-ndjson', limit: '10mb' });
  const https = config.publicUrl.startsWith('https:');
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
  app.use(helmet({ contentSecurityPolicy: { directives }, referrerPolicy: { policy: 'no-referrer' }, hsts: https }));
  // Swagger UI ships one inline <style> block; allow inline styles on the docs page only.
  app.use('/api/docs', helmet.contentSecurityPolicy({ directives: { ...directives, styleSrc: ["'self'", "'unsafe-inline'"] } }));
  app.use(cookieParser());
  // Static CSS/JS: URLs carry a content hash (see web/views.service.ts), so they can be cached for a year.
  app.useStaticAssets(PUBLIC_DIR, { prefix: ASSETS_PREFIX, maxAge: '365d', immutable: true, index: false, fallthrough: true });
  app.use(RATE_LIMITED_PATHS, authRateLimiter(config));
  app.useGlobalPipes(globalValidationPipe());
  app.useGlobalFilters(new ProblemFilter(app.get(WebErrorPages)));
  app.enableShutdownHooks();

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
