import { Capability, DomainError, ErrorCode, roleCan, type Actor, type Role } from '@app/domain';
import {
  ApiKeysRepository,
  AuditRepository,
  UsersRepository,
  WorkspacesRepository,
  type MemberRow,
  type Page,
} from '@app/persistence';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { auditActor } from '../audit/audit-actor';
import { ApprovalsService } from '../approvals/approvals.service';

const onlyOwners = () =>
  new DomainError(ErrorCode.Forbidden, 'Only an owner can grant or take away the owner role.');

/**
 * Members of a workspace. Every change locks the workspace row first, so two
 * owners demoting each other at once cannot leave the workspace without one.
 */
@Injectable()
export class MembersService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly workspaces: WorkspacesRepository,
    private readonly users: UsersRepository,
    private readonly review: ApprovalsService,
    private readonly audit: AuditRepository,
    private readonly apiKeys: ApiKeysRepository,
  ) {}

  list(actor: Actor, limit: number, cursor?: string): Promise<Page<MemberRow>> {
    return this.workspaces.listMembers(actor.workspaceId, limit, cursor);
  }

  async get(actor: Actor, userId: string): Promise<MemberRow> {
    const member = await this.workspaces.findMember(actor.workspaceId, userId);
    if (!member) throw DomainError.notFound('Member');
    return member;
  }

  /** Adds a person by e-mail; one without an account gets a password-less user. */
  async add(actor: Actor, input: { email: string; name?: string; role: Role }): Promise<MemberRow> {
    if (input.role === 'owner' && actor.role !== 'owner') throw onlyOwners();
    const userId = await this.inWorkspaceLock(actor.workspaceId, async (em) => {
      const user = await this.users.findOrCreate(input.email, input.name ?? input.email.split('@')[0], em);
      if (await this.workspaces.findMembership(actor.workspaceId, user.id, em)) {
        throw new DomainError(
          ErrorCode.Conflict,
          `${input.email} is already a member; change their role instead.`,
        );
      }
      await this.workspaces.addMembership(actor.workspaceId, user.id, input.role, em);
      await this.audit.append(
        { ...auditActor(actor), action: 'member.added', after: { userId: user.id, role: input.role } },
        em,
      );
      await this.review.recount(actor, `${user.id} added as ${input.role}`, em);
      return user.id;
    });
    return this.get(actor, userId);
  }

  async changeRole(actor: Actor, userId: string, role: Role): Promise<MemberRow> {
    await this.inWorkspaceLock(actor.workspaceId, async (em) => {
      const current = await this.workspaces.findMembership(actor.workspaceId, userId, em);
      if (!current) throw DomainError.notFound('Member');
      if ((current.role === 'owner' || role === 'owner') && actor.role !== 'owner') throw onlyOwners();
      if (current.role === 'owner' && role !== 'owner') await this.assertNotLastOwner(actor.workspaceId, em);
      await this.workspaces.setRole(actor.workspaceId, userId, role, em);
      await this.audit.append(
        {
          ...auditActor(actor),
          action: 'member.role_changed',
          before: { userId, role: current.role },
          after: { userId, role },
        },
        em,
      );
      if (!roleCan(role, Capability.ApiKeysManage)) {
        await this.revokeKeysOf(actor, userId, `their role changed from ${current.role} to ${role}`, em);
      }
      await this.review.recount(actor, `role of ${userId} changed from ${current.role} to ${role}`, em);
    });
    return this.get(actor, userId);
  }

  async remove(actor: Actor, userId: string): Promise<void> {
    await this.inWorkspaceLock(actor.workspaceId, async (em) => {
      const current = await this.workspaces.findMembership(actor.workspaceId, userId, em);
      if (!current) throw DomainError.notFound('Member');
      if (current.role === 'owner') {
        if (actor.role !== 'owner') throw onlyOwners();
        await this.assertNotLastOwner(actor.workspaceId, em);
      }
      await this.workspaces.removeMembership(actor.workspaceId, userId, em);
      await this.audit.append(
        { ...auditActor(actor), action: 'member.removed', before: { userId, role: current.role } },
        em,
      );
      await this.revokeKeysOf(actor, userId, 'they left the workspace', em);
      await this.review.recount(actor, `${userId} removed from the workspace`, em);
    });
  }

  /**
   * A key acts for its creator, so it never outlives their power to make one: when
   * they leave or stop being an admin, their keys are revoked with them.
   */
  private async revokeKeysOf(actor: Actor, userId: string, why: string, em: EntityManager): Promise<void> {
    for (const key of await this.apiKeys.revokeCreatedBy(actor.workspaceId, userId, em)) {
      await this.audit.append(
        {
          ...auditActor(actor),
          action: 'api_key.revoked',
          before: { apiKeyId: key.id, name: key.name },
          after: { cause: `created by ${userId}; ${why}` },
        },
        em,
      );
    }
  }

  private async assertNotLastOwner(workspaceId: string, em: EntityManager): Promise<void> {
    if ((await this.workspaces.countOwners(workspaceId, em)) <= 1) {
      throw new DomainError(
        ErrorCode.Conflict,
        'This is the last owner of the workspace; make someone else owner first.',
      );
    }
  }

  private inWorkspaceLock<T>(workspaceId: string, work: (em: EntityManager) => Promise<T>): Promise<T> {
    return this.db.transaction(async (em) => {
      if (!(await this.workspaces.lockById(workspaceId, em))) throw DomainError.notFound('Workspace');
      return work(em);
    });
  }
}
