import { AppConfig } from '@app/config';
import { DomainError, ErrorCode } from '@app/domain';
import { Controller, Get, Header, Headers } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { timingSafeEqual } from 'node:crypto';
import { Public } from '../access/access.decorators';
import { MetricsService } from './metrics.service';

const matches = (given: string, expected: string): boolean => {
  const [a, b] = [Buffer.from(given), Buffer.from(expected)];
  return a.length === b.length && timingSafeEqual(a, b);
};

/** Prometheus metrics; behind METRICS_TOKEN (a bearer token) when it is set. */
@ApiExcludeController()
@Public()
@Controller('metrics')
export class MetricsController {
  constructor(
    private readonly metrics: MetricsService,
    private readonly config: AppConfig,
  ) {}

  @Get()
  @Header('content-type', 'text/plain; version=0.0.4; charset=utf-8')
  @Header('cache-control', 'no-store')
  render(@Headers('authorization') authorization: string | undefined): Promise<string> {
    const token = this.config.metricsToken;
    if (token && !matches(authorization ?? '', `Bearer ${token}`)) {
      throw new DomainError(
        ErrorCode.Unauthenticated,
        'Send METRICS_TOKEN as Authorization: Bearer <token>.',
      );
    }
    return this.metrics.render();
  }
}
