export * from './mail-transport';
export * from './notification-templates';
export * from './account-templates';
export * from './mention-chart';
