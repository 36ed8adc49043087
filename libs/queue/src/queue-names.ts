/** Every BullMQ queue Countersign uses, in one place. */
export const QueueName = {
  /** Repeatable housekeeping: heartbeat (and later reconcile, reminders). */
  Maintenance: 'maintenance',
} as const;
export type QueueName = (typeof QueueName)[keyof typeof QueueName];

export const ALL_QUEUES: readonly QueueName[] = Object.values(QueueName);
