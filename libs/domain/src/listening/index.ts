export * from './sentiment';
export * from './spike';
export * from './reply-ref';
export * from './stats';
