import { DefaultNamingStrategy, type NamingStrategyInterface, type Table } from 'typeorm';
import { snakeCase } from './snake-case';

const tableName = (t: Table | string): string => (typeof t === 'string' ? t : t.name).split('.').pop() ?? '';
const joined = (columns: string[]): string => columns.map(snakeCase).join('_');

/** Snake-case columns and readable constraint names (pk_posts, fk_posts_channel_id, ix_posts_...). */
export class CountersignNamingStrategy extends DefaultNamingStrategy implements NamingStrategyInterface {
  override columnName(propertyName: string, customName: string | undefined, prefixes: string[]): string {
    return customName ?? snakeCase([...prefixes, propertyName].join('_'));
  }

  override joinColumnName(relationName: string, referencedColumnName: string): string {
    return snakeCase(`${relationName}_${referencedColumnName}`);
  }

  override primaryKeyName(table: Table | string): string {
    return `pk_${tableName(table)}`;
  }

  override foreignKeyName(table: Table | string, columns: string[]): string {
    return `fk_${tableName(table)}_${joined(columns)}`;
  }

  override indexName(table: Table | string, columns: string[]): string {
    return `ix_${tableName(table)}_${joined(columns)}`;
  }

  override uniqueConstraintName(table: Table | string, columns: string[]): string {
    return `uq_${tableName(table)}_${joined(columns)}`;
  }

  override checkConstraintName(table: Table | string, expression: string): string {
    return `ck_${tableName(table)}_${super.checkConstraintName(table, expression).slice(3, 15)}`;
  }
}
