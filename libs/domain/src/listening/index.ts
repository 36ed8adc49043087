export * from './spike';
