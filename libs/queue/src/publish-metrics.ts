import { Counter, Histogram, Registry } from 'prom-client';

/**
 * Publishing metrics, recorded by the worker. One registry per process: the API's
 * /metrics includes it when API and worker share a process (ROLE=all); a worker on
 * its own serves it on WORKER_METRICS_PORT.
 */
export const publishMetricsRegistry = new Registry();

export const publishLateness = new Histogram({
  name: 'countersign_publish_lateness_seconds',
  help: 'Seconds from scheduledAt to the publisher accepting the post',
  buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5, 10, 30, 60, 300, 900],
  registers: [publishMetricsRegistry],
});

export const publishOutcomes = new Counter({
  name: 'countersign_publish_outcomes_total',
  help: 'Publish jobs by outcome (published, blocked, expired, failed, retry, stale)',
  labelNames: ['outcome'] as const,
  registers: [publishMetricsRegistry],
});
