export * from './publish-decision';
