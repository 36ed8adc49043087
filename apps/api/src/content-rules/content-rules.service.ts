import { type Actor, type ContentRules } from '@app/domain';
import { AuditRepository, ContentRulesRepository } from '@app/persistence';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { auditActor } from '../audit/audit-actor';

/** A workspace's content rules: read, and replaced as a whole with its audit entry. */
@Injectable()
export class ContentRulesService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly rules: ContentRulesRepository,
    private readonly audit: AuditRepository,
  ) {}

  get(actor: Actor): Promise<ContentRules> {
    return this.rules.get(actor.workspaceId);
  }

  replace(actor: Actor, rules: ContentRules): Promise<ContentRules> {
    return this.db.transaction(async (em) => {
      const before = await this.rules.get(actor.workspaceId, em);
      await this.rules.put(actor.workspaceId, rules, actor.kind === 'user' ? actor.userId : null, em);
      await this.audit.append(
        { ...auditActor(actor), action: 'content_rules.updated', before: { ...before }, after: { ...rules } },
        em,
      );
      return rules;
    });
  }
}
