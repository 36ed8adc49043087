export * from './post-content';
export * from './post-status';
export * from './scheduled-at';
