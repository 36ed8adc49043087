/** Every BullMQ queue Countersign uses, in one place. */
export const QueueName = {
  /** Repeatable housekeeping: heartbeat, reconcile (and later reminders). */
  Maintenance: 'maintenance',
  /** One delayed job per approved post version, due at its scheduledAt. */
  Publish: 'publish',
  /** One job per outbound webhook delivery (subscription x audit event). */
  Webhooks: 'webhooks',
  /** One job per notified audit event; it mails each recipient once. */
  Mail: 'mail',
  /** One job per connected channel and listening tick: its new mentions read. */
  Listening: 'listening',
} as const;
export type QueueName = (typeof QueueName)[keyof typeof QueueName];

export const ALL_QUEUES: readonly QueueName[] = Object.values(QueueName);
