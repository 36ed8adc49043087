import { DomainError, personOf, type Actor, type ApiKeyRole } from '@app/domain';
import { ApiKeysRepository, AuditRepository, type ApiKeyEntity, type Page } from '@app/persistence';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { generateApiKey } from '../access/api-key-secret';
import { auditActor } from '../audit/audit-actor';

/** API keys of a workspace: created (the secret shown once), listed, revoked. */
@Injectable()
export class ApiKeysService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly apiKeys: ApiKeysRepository,
    private readonly audit: AuditRepository,
  ) {}

  async create(
    actor: Actor,
    input: { name: string; role: ApiKeyRole },
  ): Promise<{ entity: ApiKeyEntity; key: string }> {
    const { key, prefix, secretHash } = generateApiKey();
    const entity = await this.db.transaction(async (em) => {
      const created = await this.apiKeys.create(
        {
          workspaceId: actor.workspaceId,
          name: input.name,
          role: input.role,
          prefix,
          secretHash,
          createdBy: personOf(actor),
        },
        em,
      );
      await this.audit.append(
        {
          ...auditActor(actor),
          action: 'api_key.created',
          after: { apiKeyId: created.id, name: input.name, role: input.role, prefix },
        },
        em,
      );
      return created;
    });
    return { entity, key };
  }

  list(actor: Actor, limit: number, cursor?: string): Promise<Page<ApiKeyEntity>> {
    return this.apiKeys.list(actor.workspaceId, limit, cursor);
  }

  /** Revokes at once: the key's next request is refused. Revoking twice is harmless. */
  async revoke(actor: Actor, id: string): Promise<void> {
    const key = await this.apiKeys.findInWorkspace(actor.workspaceId, id);
    if (!key) throw DomainError.notFound('API key');
    await this.db.transaction(async (em) => {
      if (await this.apiKeys.revoke(actor.workspaceId, id, em)) {
        await this.audit.append(
          { ...auditActor(actor), action: 'api_key.revoked', before: { apiKeyId: id, name: key.name } },
          em,
        );
      }
    });
  }
}
