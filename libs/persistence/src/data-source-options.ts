import type { AppConfig } from '@app/config';
import type { DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from '../../../migrations';
import { ENTITIES } from './entities';
import { CountersignNamingStrategy } from './naming-strategy';
import { TypeOrmNestLogger } from './typeorm-logger';

/** The one TypeORM configuration, shared by the apps, the migration CLI and the tests. */
export function dataSourceOptions(config: AppConfig): DataSourceOptions {
  return {
    type: 'postgres',
    url: config.databaseUrl,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'schema_migrations',
    migrationsTransactionMode: 'each',
    namingStrategy: new CountersignNamingStrategy(),
    synchronize: false,
    migrationsRun: false,
    logger: new TypeOrmNestLogger(),
    maxQueryExecutionTime: 1000,
    extra: { max: config.databasePoolSize, application_name: `countersign-${config.role}` },
  };
}
