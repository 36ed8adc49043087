import { DomainError, ErrorCode, type Actor, type Role } from '@app/domain';
import {
  ApiKeyEntity,
  AuditRepository,
  UserEntity,
  WorkspaceEntity,
  WorkspacesRepository,
} from '@app/persistence';
import type { Login } from '../access/access.decorators';
import { auditActor } from '../audit/audit-actor';
import type { UpdateWorkspaceDto } from './dto/create-workspace.dto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';

/** Workspaces: creation with their first owner, and reading them. */
@Injectable()
export class WorkspacesService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly workspaces: WorkspacesRepository,
    private readonly audit: AuditRepository,
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

  /**
   * Changes its settings. Only an owner sets which roles need a second factor, and
   * not so as to shut themselves out: their own role only once their session has one.
   */
  async update(actor: Actor, login: Login, changes: UpdateWorkspaceDto): Promise<WorkspaceEntity> {
    const { requireMfaFor } = changes;
    if (requireMfaFor !== undefined) {
      if (actor.role !== 'owner') {
        throw DomainError.ofFields(ErrorCode.Forbidden, [
          { field: 'requireMfaFor', message: 'only an owner may set it' },
        ]);
      }
      if (requireMfaFor.includes(actor.role) && !login.secondFactor) {
        throw DomainError.ofFields(ErrorCode.Conflict, [
          {
            field: 'requireMfaFor',
            message: `names your own role: turn on two-factor sign-in (POST /v1/me/mfa/totp) and log in with a code first`,
          },
        ]);
      }
    }
    return this.db.transaction(async (em) => {
      const workspace = await this.workspaces.lockById(actor.workspaceId, em);
      if (!workspace) throw DomainError.notFound('Workspace');
      const before = {
        name: workspace.name,
        timezone: workspace.timezone,
        requireMfaFor: workspace.requireMfaFor,
      };
      Object.assign(
        workspace,
        Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined)),
      );
      await em.save(workspace);
      const after = {
        name: workspace.name,
        timezone: workspace.timezone,
        requireMfaFor: workspace.requireMfaFor,
      };
      await this.audit.append({ ...auditActor(actor), action: 'workspace.updated', before, after }, em);
      return workspace;
    });
  }

  /** The workspace an API key belongs to. */
  workspaceOfKey(key: ApiKeyEntity): Promise<WorkspaceEntity> {
    return this.get(key.workspaceId);
  }
}
