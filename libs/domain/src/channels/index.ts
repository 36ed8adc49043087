export * from './networks';
export * from './preview';
export * from './rich-text';
export * from './text-as-sent';
export * from './text-length';
