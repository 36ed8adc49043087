export * from './sentiment';
export * from './spike';
