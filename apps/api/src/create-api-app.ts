import type { AppConfig } from '@app/config';
import formbody from '@fastify/formbody';
import helmet from '@fastify/helmet';
import { REDIS_CLIENT } from '@app/queue';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { SwaggerModule } from '@nestjs/swagger';
import type Redis from 'ioredis';
import { Logger } from 'nestjs-pino';
import { useQueueDashboard } from './admin/queue-dashboard';
import { ApiModule } from './api.module';
import { useCsvBodyParser, useJsonBodyParser } from './common/json-body-parser';
import { useRateLimit } from './common/rate-limit';
import { ProblemDetailsFilter } from './common/problem-details.filter';
import { genRequestId, useRequestIds } from './common/request-id';
import { createValidationPipe } from './common/validation.pipe';
import { useUnsafeTextGuard } from './common/unsafe-text';
import { answerClientError, answerFrameworkError } from './common/client-errors';
import { MetricsService } from './metrics/metrics.service';
import { openApiDocument } from './openapi';

/** Builds the API application (not yet listening): Fastify, pipes, filter, security headers, docs. */
export async function createApiApp(config: AppConfig): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    bodyLimit: config.bodyLimitBytes,
    // Trusting every X-Forwarded-For would let any client pick the IP its limits count against.
    trustProxy: typeof config.trustProxy === 'object' ? [...config.trustProxy] : config.trustProxy,
    genReqId: genRequestId,
    // Logging is pino-http's (nestjs-pino), which picks up the request id set here.
    logger: false,
    // Refused before routing (a NUL in a header, a malformed request line): problem+json too.
    clientErrorHandler: answerClientError,
    frameworkErrors: answerFrameworkError,
  });
  const app = await NestFactory.create<NestFastifyApplication>(ApiModule.forRoot(config), adapter, {
    bufferLogs: true,
    bodyParser: false, // ours: see useJsonBodyParser
  });
  app.useLogger(app.get(Logger));

  const fastify = app.getHttpAdapter().getInstance();
  useJsonBodyParser(fastify, config.bodyLimitBytes);
  useCsvBodyParser(fastify);
  useRequestIds(fastify);
  useUnsafeTextGuard(fastify);
  useRateLimit(fastify, app.get<Redis>(REDIS_CLIENT), config.queuePrefix, config.rateLimitPerMinute);
  app.get(MetricsService).instrument(fastify);

  // HTML forms (the review page); a repeated field comes as an array, which the page refuses.
  await app.register(formbody, { bodyLimit: config.bodyLimitBytes });
  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        frameAncestors: ["'none'"],
      },
    },
  });
  app.enableCors({
    origin: config.corsOrigins.length > 0 ? [...config.corsOrigins] : false,
    exposedHeaders: ['ETag', 'X-Request-Id'],
  });
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new ProblemDetailsFilter());

  const document = openApiDocument(app, config);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json', yamlDocumentUrl: 'docs-yaml' });
  await useQueueDashboard(app, config);

  return app;
}
