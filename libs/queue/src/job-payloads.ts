import type { AccountMail } from '@app/domain';
import { type QueueName } from './queue-names';

/** Payloads carry ids and plain values, never entities. */
export interface HeartbeatJob {
  queue: typeof QueueName.Maintenance;
  name: 'heartbeat';
  data: Record<string, never>;
}

export interface ReconcileJob {
  queue: typeof QueueName.Maintenance;
  name: 'reconcile';
  data: Record<string, never>;
}

export interface RemindersJob {
  queue: typeof QueueName.Maintenance;
  name: 'reminders';
  data: Record<string, never>;
}

export interface DigestsJob {
  queue: typeof QueueName.Maintenance;
  name: 'digests';
  data: Record<string, never>;
}

export interface HousekeepingJob {
  queue: typeof QueueName.Maintenance;
  name: 'housekeeping';
  data: Record<string, never>;
}

export interface SpikeWatchJob {
  queue: typeof QueueName.Maintenance;
  name: 'spike-watch';
  data: Record<string, never>;
}

export interface ListenJob {
  queue: typeof QueueName.Maintenance;
  name: 'listen';
  data: Record<string, never>;
}

export interface PublishJob {
  queue: typeof QueueName.Publish;
  name: 'publish';
  data: { postId: string; workspaceId: string; channelId: string; version: number };
}

export interface WebhookJob {
  queue: typeof QueueName.Webhooks;
  name: 'deliver';
  data: { subscriptionId: string; workspaceId: string; seq: string };
}

export interface MailJob {
  queue: typeof QueueName.Mail;
  name: 'notify';
  data: { workspaceId: string; seq: string };
}

export interface AccountMailJob {
  queue: typeof QueueName.Mail;
  name: 'account';
  data: AccountMail;
}

/** The typed union of every job Countersign enqueues. */
export type CountersignJob =
  | HeartbeatJob
  | ReconcileJob
  | RemindersJob
  | DigestsJob
  | HousekeepingJob
  | SpikeWatchJob
  | ListenJob
  | PublishJob
  | WebhookJob
  | MailJob
  | AccountMailJob;

/** `webhook-<subscriptionId>-<seq>`: one delivery per subscription and event. */
export const webhookJobId = (subscriptionId: string, seq: string): string =>
  `webhook-${subscriptionId}-${seq}`;

/** `publish-<postId>-v<version>`: one job per approved version (no colons: BullMQ ids). */
export const publishJobId = (postId: string, version: number): string => `publish-${postId}-v${version}`;

export type JobData<N extends CountersignJob['name']> = Extract<CountersignJob, { name: N }>['data'];

/** Job scheduler ids: registered idempotently, so replicas never duplicate them. */
export const SchedulerId = {
  Heartbeat: 'heartbeat',
  Reconcile: 'reconcile',
  Reminders: 'reminders',
  Digests: 'digests',
  Housekeeping: 'housekeeping',
  SpikeWatch: 'spike-watch',
  Listen: 'listen',
} as const;

export const HEARTBEAT_EVERY_MS = 30_000;
