export * from './api-keys.repository';
export * from './calendar-feeds.repository';
export * from './channels.repository';
export * from './posts.repository';
export * from './users.repository';
export * from './workspaces.repository';
