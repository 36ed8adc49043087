import { Public } from '../access/access.decorators';
import { Controller, Get, HttpStatus, Res, ServiceUnavailableException } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheckService, TypeOrmHealthIndicator, type HealthCheckResult } from '@nestjs/terminus';
import type { FastifyReply } from 'fastify';
import { Returns } from '../common/views';
import { HealthView } from './health.views';
import { RedisHealthIndicator } from './redis.health';

@ApiTags('operations')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly db: TypeOrmHealthIndicator,
    private readonly redis: RedisHealthIndicator,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Liveness and readiness: PostgreSQL and Redis; 503 when either is down' })
  @Returns(HealthView)
  @Returns(HealthView, HttpStatus.SERVICE_UNAVAILABLE)
  async check(@Res({ passthrough: true }) reply: FastifyReply): Promise<HealthCheckResult> {
    try {
      return await this.health.check([
        () => this.db.pingCheck('postgres', { timeout: 1000 }),
        () => this.redis.pingCheck('redis'),
      ]);
    } catch (error) {
      // Terminus reports a failed check as a 503 carrying the full result; keep its shape.
      if (!(error instanceof ServiceUnavailableException)) throw error;
      void reply.status(503);
      return error.getResponse() as HealthCheckResult;
    }
  }
}
