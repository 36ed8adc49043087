// Entry point for the TypeORM CLI (npm run migration:*). The apps build their own
// DataSource from the same options.
import 'reflect-metadata';
import { loadConfig } from '@app/config';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from './data-source-options';

export default new DataSource(dataSourceOptions(loadConfig()));
