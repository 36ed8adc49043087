export * from './mail-transport';
export * from './notification-templates';
