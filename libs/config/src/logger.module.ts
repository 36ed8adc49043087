import { RequestMethod, type DynamicModule } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import type { AppConfig } from './app-config';

/** Paths with a bearer secret after their prefix (links from e-mails, calendar feeds). */
const SECRET_PATHS =
  /^(\/review\/|\/invite\/|\/reset\/|\/v1\/calendar-feeds\/|\/v1\/auth\/password-reset\/|\/v1\/invitations\/)[^/?]+/;

/** The URL as it may appear in logs: secrets in the path and the query are replaced. */
export function redactUrl(url: string): string {
  const [path, query] = url.split('?', 2);
  const safePath = path.replace(SECRET_PATHS, '$1[redacted]');
  return query === undefined ? safePath : `${safePath}?[redacted]`;
}

/** Structured JSON logs (pino) with the request id Fastify assigns; secrets never reach them. */
export function loggerModule(config: AppConfig): DynamicModule {
  return LoggerModule.forRoot({
    pinoHttp: {
      level: config.logLevel,
      redact: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'],
      serializers: {
        req: (req: { id: string; method: string; url: string; headers: Record<string, unknown> }) => ({
          id: req.id,
          method: req.method,
          url: redactUrl(req.url),
          userAgent: req.headers['user-agent'],
        }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
      customLogLevel: (_req, res, error) => (error || res.statusCode >= 500 ? 'error' : 'info'),
    },
    // Probes and scrapes every few seconds would drown the log.
    exclude: [
      { method: RequestMethod.GET, path: 'health' },
      { method: RequestMethod.GET, path: 'metrics' },
    ],
  });
}
