export * from './data-source-options';
export * from './database-bootstrap';
export * from './entities';
export * from './naming-strategy';
export * from './pagination';
export * from './pg-errors';
export * from './persistence.module';
export * from './repositories';
