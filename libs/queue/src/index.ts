export * from './job-options';
export * from './job-payloads';
export * from './publish-metrics';
export * from './queue-names';
export * from './queue.module';
export * from './redis-client';
export * from './redis-options';
