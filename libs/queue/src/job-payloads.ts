import type { AccountMail } from '@app/domain';
import { type QueueName } from './queue-names';

/**
 * Payloads carry ids and plain values, never entities. A job of a job scheduler on
 * the maintenance queue: its name says what to run; no data.
 */
interface RepeatableJob<N extends string> {
  queue: typeof QueueName.Maintenance;
  name: N;
  data: Record<string, never>;
}

export type HeartbeatJob = RepeatableJob<'heartbeat'>;
export type ReconcileJob = RepeatableJob<'reconcile'>;
export type RemindersJob = RepeatableJob<'reminders'>;
export type DigestsJob = RepeatableJob<'digests'>;
export type HousekeepingJob = RepeatableJob<'housekeeping'>;
export type SpikeWatchJob = RepeatableJob<'spike-watch'>;
export type ListenJob = RepeatableJob<'listen'>;

export interface ListenChannelJob {
  queue: typeof QueueName.Listening;
  name: 'listen-channel';
  data: { workspaceId: string; channelId: string };
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
  | ListenChannelJob
  | PublishJob
  | WebhookJob
  | MailJob
  | AccountMailJob;

/** `webhook-<subscriptionId>-<seq>`: one delivery per subscription and event. */
export const webhookJobId = (subscriptionId: string, seq: string): string =>
  `webhook-${subscriptionId}-${seq}`;

/** `listen-<channelId>`: a channel is read by one job at a time; a tick while it runs adds none. */
export const listenJobId = (channelId: string): string => `listen-${channelId}`;

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
