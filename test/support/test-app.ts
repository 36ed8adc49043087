import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, type AppConfig } from '@app/config';
import type { INestApplicationContext } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Client } from 'pg';
import { createApiApp } from '../../apps/api/src/create-api-app';
import { createWorkerApp } from '../../apps/worker/src/create-worker-app';
import { HttpClient } from './http-client';
import {
  databaseUrl,
  PG_ADMIN_URL,
  queuePrefixOf,
  runId,
  templateDatabase,
  TEST_REDIS_URL,
  workerDatabasePrefix,
} from './test-env';

let databaseCounter = 0;

/** A fresh database cloned from the migrated template: one per test file (or per call). */
export async function createTestDatabase(): Promise<string> {
  const run = runId();
  const name = `${workerDatabasePrefix(run)}${process.env.JEST_WORKER_ID ?? '0'}_${++databaseCounter}`;
  const admin = new Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.query(`CREATE DATABASE "${name}" TEMPLATE "${templateDatabase(run)}"`);
  } finally {
    await admin.end();
  }
  return databaseUrl(name);
}

/** Configuration for a test app: its own database and its own BullMQ prefix. */
export async function testConfig(overrides: Record<string, string> = {}): Promise<AppConfig> {
  const run = runId();
  return loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: await createTestDatabase(),
    REDIS_URL: TEST_REDIS_URL,
    // Jest gives each test file a fresh copy of this module (its counter starts again), so
    // the prefix carries a random part: two files run by one worker in one minute must not
    // share rate-limit windows or queues.
    QUEUE_PREFIX: `${queuePrefixOf(run)}-${process.env.JEST_WORKER_ID ?? '0'}-${databaseCounter}-${randomBytes(4).toString('hex')}`,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    PORT: '0',
    HOST: '127.0.0.1',
    // The suites make hundreds of calls a minute with one token; the limit has its own test.
    RATE_LIMIT_PER_MINUTE: '10000',
    // The tests' receivers listen on loopback; the outbound policy has its own tests.
    OUTBOUND_ALLOWED_HOSTS: '127.0.0.1,localhost',
    // Without SMTP_URL mail goes to files: keep them out of the working tree.
    MAIL_DIR: join(tmpdir(), `countersign-test-mail-${run}`),
    ...overrides,
  });
}

export interface TestApi {
  app: NestFastifyApplication;
  config: AppConfig;
  http: HttpClient;
  close(): Promise<void>;
}

/** Starts the API on a random local port against the given (or a fresh) configuration. */
export async function startApi(config?: AppConfig): Promise<TestApi> {
  const cfg = config ?? (await testConfig());
  const app = await createApiApp(cfg);
  await app.listen(0, '127.0.0.1');
  const http = new HttpClient(await app.getUrl(), cfg.databaseUrl);
  return { app, config: cfg, http, close: () => app.close() };
}

/** Starts a worker context against the same configuration as an API under test. */
export async function startWorker(config: AppConfig): Promise<INestApplicationContext> {
  return createWorkerApp(config);
}
