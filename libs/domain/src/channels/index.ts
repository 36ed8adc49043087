export * from './networks';
export * from './text-length';
