import { NO_CONTENT_RULES, type ContentRules } from '@app/domain';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';

/** A workspace's content rules (one JSON document per workspace; none means no rules). */
@Injectable()
export class ContentRulesRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async get(workspaceId: string, em: EntityManager = this.db.manager): Promise<ContentRules> {
    const rows = await em.query<Array<{ rules: ContentRules }>>(
      `SELECT rules FROM content_rules WHERE workspace_id = $1`,
      [workspaceId],
    );
    return rows[0]?.rules ?? NO_CONTENT_RULES;
  }

  async put(
    workspaceId: string,
    rules: ContentRules,
    updatedBy: string | null,
    em: EntityManager,
  ): Promise<void> {
    await em.query(
      `INSERT INTO content_rules (workspace_id, rules, updated_by) VALUES ($1, $2, $3)
       ON CONFLICT (workspace_id) DO UPDATE SET rules = EXCLUDED.rules, updated_by = EXCLUDED.updated_by, updated_at = now()`,
      [workspaceId, JSON.stringify(rules), updatedBy],
    );
  }
}
