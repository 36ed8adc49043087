import { type QueueName } from './queue-names';

/** Payloads carry ids and plain values, never entities. */
export interface HeartbeatJob {
  queue: typeof QueueName.Maintenance;
  name: 'heartbeat';
  data: Record<string, never>;
}

/** The typed union of every job Countersign enqueues. */
export type CountersignJob = HeartbeatJob;

export type JobData<N extends CountersignJob['name']> = Extract<CountersignJob, { name: N }>['data'];

/** Job scheduler ids: registered idempotently, so replicas never duplicate them. */
export const SchedulerId = {
  Heartbeat: 'heartbeat',
} as const;

export const HEARTBEAT_EVERY_MS = 30_000;
