export * from './post-content';
export * from './post-state-machine';
export * from './post-status';
export * from './scheduled-at';
