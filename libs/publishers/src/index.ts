export * from './log-publisher';
export * from './outbound-http';
export * from './outbound-policy';
export * from './publisher';
export * from './publisher-for';
export * from './publishers.module';
export * from './webhook-publisher';
