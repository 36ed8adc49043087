import { ALL_QUEUES, publishMetricsRegistry, type QueueName } from '@app/queue';
import { getQueueToken } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { Queue } from 'bullmq';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

const QUEUE_STATES = [
  'waiting',
  'delayed',
  'active',
  'failed',
  'completed',
  'prioritized',
  'waiting-children',
] as const;
const QUEUE_COUNT_TIMEOUT_MS = 500;

const started = new WeakMap<FastifyRequest, bigint>();

/** One Prometheus registry per app: HTTP durations, queue depths, process metrics. */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();

  private readonly httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration by method, route template and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });

  constructor(private readonly moduleRef: ModuleRef) {
    collectDefaultMetrics({ register: this.registry });
    const queues = (): Array<readonly [QueueName, Queue]> =>
      ALL_QUEUES.map((name) => [name, this.queue(name)]);
    new Gauge({
      name: 'countersign_queue_jobs',
      help: 'Jobs per queue and state (omitted while Redis does not answer)',
      labelNames: ['queue', 'state'] as const,
      registers: [this.registry],
      async collect() {
        this.reset();
        await Promise.all(
          queues().map(async ([name, queue]) => {
            const counts = await withTimeout(queue.getJobCounts(...QUEUE_STATES), QUEUE_COUNT_TIMEOUT_MS);
            for (const [state, n] of Object.entries(counts ?? {})) this.set({ queue: name, state }, n);
          }),
        );
      },
    });
  }

  /** Times every request by its route template (not its raw path, which would explode cardinality). */
  instrument(fastify: FastifyInstance): void {
    fastify.addHook('onRequest', (request, _reply, done) => {
      started.set(request, process.hrtime.bigint());
      done();
    });
    fastify.addHook('onResponse', (request, reply, done) => {
      const start = started.get(request);
      if (start !== undefined) {
        const seconds = Number(process.hrtime.bigint() - start) / 1e9;
        const route = request.routeOptions.url ?? 'unmatched';
        this.httpDuration.observe(
          { method: request.method, route, status: String(reply.statusCode) },
          seconds,
        );
      }
      done();
    });
  }

  /** The API's metrics, and the worker's when it runs in this process (ROLE=all). */
  async render(): Promise<string> {
    return Registry.merge([this.registry, publishMetricsRegistry]).metrics();
  }

  private queue(name: QueueName): Queue {
    return this.moduleRef.get<Queue>(getQueueToken(name), { strict: false });
  }
}

async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  try {
    return await Promise.race([promise.catch(() => undefined), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
