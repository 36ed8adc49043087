import type { Table } from 'typeorm';
import { SnakeNamingStrategy } from 'typeorm-naming-strategies';

const tableName = (t: Table | string): string => (typeof t === 'string' ? t : t.name).split('.').pop() ?? '';
const joined = (columns: string[]): string => columns.join('_');

/**
 * Snake-case tables and columns (typeorm-naming-strategies), and constraint names a
 * person can read in an error or a generated migration (pk_posts, fk_posts_channel_id,
 * ix_posts_...) instead of TypeORM's hashes: the hand-written migrations use these.
 */
export class CountersignNamingStrategy extends SnakeNamingStrategy {
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
