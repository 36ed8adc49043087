export * from './access';
export * from './errors';
export * from './time-zone';
