export * from './local-days';
