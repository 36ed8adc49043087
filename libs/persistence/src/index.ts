export * from './data-source-options';
export * from './database-bootstrap';
export * from './entities';
export * from './naming-strategy';
export * from './persistence.module';
