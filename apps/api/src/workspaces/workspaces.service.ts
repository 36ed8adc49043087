import { DomainError, type Role } from '@app/domain';
import { ApiKeyEntity, UserEntity, WorkspaceEntity, WorkspacesRepository } from '@app/persistence';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';

/** Workspaces: creation with their first owner, and reading them. */
@Injectable()
export class WorkspacesService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly workspaces: WorkspacesRepository,
  ) {}

  /** A new workspace with `owner` as its owner, inside the caller's transaction. */
  async createOwned(
    owner: UserEntity,
    input: { name: string; timezone?: string },
    em: EntityManager,
  ): Promise<WorkspaceEntity> {
    const workspace = await this.workspaces.create(
      { name: input.name, timezone: input.timezone ?? 'UTC' },
      em,
    );
    await this.workspaces.addMembership(workspace.id, owner.id, 'owner', em);
    return workspace;
  }

  create(owner: UserEntity, input: { name: string; timezone?: string }): Promise<WorkspaceEntity> {
    return this.db.transaction((em) => this.createOwned(owner, input, em));
  }

  async get(workspaceId: string): Promise<WorkspaceEntity> {
    const workspace = await this.workspaces.findById(workspaceId);
    if (!workspace) throw DomainError.notFound('Workspace');
    return workspace;
  }

  membershipsOf(userId: string): Promise<Array<{ workspace: WorkspaceEntity; role: Role }>> {
    return this.workspaces.membershipsOfUser(userId);
  }

  /** The workspace an API key belongs to. */
  workspaceOfKey(key: ApiKeyEntity): Promise<WorkspaceEntity> {
    return this.get(key.workspaceId);
  }
}
