export * from './approval-gate';
export * from './review';
export * from './stage-progress';
