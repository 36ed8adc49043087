import { Logger, type Provider } from '@nestjs/common';
import { AppConfig } from '@app/config';
import Redis from 'ioredis';
import { redisOptionsFromUrl } from './redis-options';

/** Injection token of the shared non-blocking Redis client (health, throttling, metrics). */
export const REDIS_CLIENT = Symbol('REDIS_CLIENT');

/**
 * A client that fails fast while Redis is away (no offline queue) instead of piling
 * up commands, and logs a lost connection once rather than on every retry.
 */
export const redisClientProvider: Provider = {
  provide: REDIS_CLIENT,
  inject: [AppConfig],
  useFactory: (config: AppConfig): Redis => {
    const logger = new Logger('Redis');
    const client = new Redis({
      ...redisOptionsFromUrl(config.redisUrl),
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      connectTimeout: 2000,
      retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
    });
    let down = false;
    client.on('error', (error: Error) => {
      if (!down) logger.warn(`connection lost: ${error.message}`);
      down = true;
    });
    client.on('ready', () => {
      if (down) logger.log('connection restored');
      down = false;
    });
    return client;
  },
};
