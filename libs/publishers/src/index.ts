export * from './log-publisher';
export * from './publisher';
export * from './publisher-for';
export * from './webhook-publisher';
