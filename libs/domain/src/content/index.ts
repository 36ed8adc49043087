export * from './content-rules';
export * from './bounded-matcher';
