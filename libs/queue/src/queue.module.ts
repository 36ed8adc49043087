import type { AppConfig } from '@app/config';
import { BullModule, getQueueToken } from '@nestjs/bullmq';
import {
  Inject,
  Logger,
  Module,
  type DynamicModule,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { Queue } from 'bullmq';
import type Redis from 'ioredis';
import { ALL_QUEUES } from './queue-names';
import { REDIS_CLIENT, redisClientProvider } from './redis-client';
import { bullConnectionOptions } from './redis-options';

/** The BullMQ connection with its key prefix, every queue, and a shared Redis client. */
@Module({})
export class QueueModule implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('Queue');

  constructor(
    @Inject(REDIS_CLIENT) private readonly redis: Redis,
    private readonly moduleRef: ModuleRef,
  ) {}

  static forRoot(config: AppConfig): DynamicModule {
    const queues = BullModule.registerQueue(...ALL_QUEUES.map((name) => ({ name })));
    return {
      module: QueueModule,
      global: true,
      imports: [
        BullModule.forRoot({
          connection: bullConnectionOptions(config.redisUrl),
          prefix: config.queuePrefix,
        }),
        queues,
      ],
      providers: [redisClientProvider],
      exports: [queues, redisClientProvider],
    };
  }

  /** An 'error' event without a listener would crash the process when Redis goes away. */
  onModuleInit(): void {
    for (const name of ALL_QUEUES) {
      const queue = this.moduleRef.get<Queue>(getQueueToken(name), { strict: false });
      queue.on('error', (error) => this.logger.warn(`queue ${name}: ${error.message}`));
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
