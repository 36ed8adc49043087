export * from './access';
export * from './approvals';
export * from './calendar';
export * from './channels';
export * from './errors';
export * from './posts';
export * from './time-zone';
export * from './workflows';
