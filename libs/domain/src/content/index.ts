export * from './content-rules';
export * from './pattern-matcher';
