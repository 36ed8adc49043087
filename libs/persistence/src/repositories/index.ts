export * from './api-keys.repository';
export * from './users.repository';
export * from './workspaces.repository';
