import { Capability, DomainError, ErrorCode, personOf, roleCan, type Actor, type Role } from '@app/domain';
import {
  ApiKeysRepository,
  AuditRepository,
  DelegationsRepository,
  InvitationsRepository,
  OutboxRepository,
  UsersRepository,
  WorkspacesRepository,
  type MemberRow,
  type Page,
} from '@app/persistence';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { auditActor } from '../audit/audit-actor';
import { inWorkspaceLock } from './workspace-lock';
import { ApprovalsService } from '../approvals/approvals.service';
import { Quotas, type Quota } from '../common/quotas';

/** How long an invitation's link works. */
const INVITATION_TTL_MS = 7 * 24 * 3600_000;
/** Invitation mails one person gets from one workspace by resending, per hour. */
const RESENDS: Quota = {
  name: 'invitation-resend',
  points: 5,
  windowSeconds: 3600,
  what: 'Invitations sent again to this person',
};

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
    private readonly invitations: InvitationsRepository,
    private readonly outbox: OutboxRepository,
    private readonly quotas: Quotas,
    private readonly delegations: DelegationsRepository,
  ) {}

  list(actor: Actor, limit: number, cursor?: string): Promise<Page<MemberRow>> {
    return this.workspaces.listMembers(actor.workspaceId, limit, cursor);
  }

  async get(actor: Actor, userId: string): Promise<MemberRow> {
    const member = await this.workspaces.findMember(actor.workspaceId, userId);
    if (!member) throw DomainError.notFound('Member');
    return member;
  }

  /**
   * Adds a person by e-mail. A reviewer (who acts from e-mail links only) and anyone
   * with an account whose address they proved become members at once, the latter
   * told by e-mail; anyone else is invited: a link to the mailbox, and no membership
   * until they accept.
   */
  async add(actor: Actor, input: { email: string; name?: string; role: Role }): Promise<MemberRow> {
    if (input.role === 'owner' && actor.role !== 'owner') throw onlyOwners();
    const userId = await this.inWorkspaceLock(actor.workspaceId, async (em) => {
      const user = await this.users.findOrCreate(input.email, input.name ?? input.email.split('@')[0], em);
      await this.assertNotInYet(actor.workspaceId, user.id, input.email, em);
      // Signing up proves nothing about the address: an unproved account is invited,
      // so the link goes to the mailbox and not to whoever registered it first.
      if (input.role !== 'reviewer' && (user.passwordHash === null || user.emailVerifiedAt === null)) {
        await this.invite(actor, user.id, input.role, 'member.invited', em);
        return user.id;
      }
      await this.workspaces.addMembership(actor.workspaceId, user.id, input.role, em);
      await this.audit.append(
        { ...auditActor(actor), action: 'member.added', after: { userId: user.id, role: input.role } },
        em,
      );
      if (input.role !== 'reviewer') {
        const added = {
          kind: 'member_added',
          workspaceId: actor.workspaceId,
          userId: user.id,
          role: input.role,
          addedBy: personOf(actor),
        } as const;
        await this.outbox.push({ topic: 'mail.account', payload: added }, em);
      }
      await this.review.recount(actor, `${user.id} added as ${input.role}`, em);
      return user.id;
    });
    return this.get(actor, userId);
  }

  /** A new link for a pending invitation (fresh for 7 days); the old link stops working. */
  async resendInvitation(actor: Actor, userId: string): Promise<MemberRow> {
    await this.quotas.spend(RESENDS, `${actor.workspaceId}:${userId}`);
    await this.inWorkspaceLock(actor.workspaceId, async (em) => {
      const pending = await this.invitations.revokePending(actor.workspaceId, userId, em);
      if (!pending) {
        if (await this.workspaces.findMembership(actor.workspaceId, userId, em)) {
          throw new DomainError(
            ErrorCode.Conflict,
            'They have accepted already: there is no invitation to resend.',
          );
        }
        throw DomainError.notFound('Invitation');
      }
      if (pending.role === 'owner' && actor.role !== 'owner') throw onlyOwners();
      await this.invite(actor, userId, pending.role, 'member.invitation_resent', em);
    });
    return this.get(actor, userId);
  }

  async changeRole(actor: Actor, userId: string, role: Role): Promise<MemberRow> {
    await this.inWorkspaceLock(actor.workspaceId, async (em) => {
      const current = await this.workspaces.findMembership(actor.workspaceId, userId, em);
      if (!current) return this.changeInvitedRole(actor, userId, role, em);
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

  /** Removes a member, or revokes the invitation of someone who has not accepted yet. */
  async remove(actor: Actor, userId: string): Promise<void> {
    await this.inWorkspaceLock(actor.workspaceId, async (em) => {
      const current = await this.workspaces.findMembership(actor.workspaceId, userId, em);
      if (!current) {
        const revoked = await this.invitations.revokePending(actor.workspaceId, userId, em);
        if (!revoked) throw DomainError.notFound('Member');
        if (revoked.role === 'owner' && actor.role !== 'owner') throw onlyOwners();
        await this.audit.append(
          {
            ...auditActor(actor),
            action: 'member.invitation_revoked',
            before: { userId, role: revoked.role },
          },
          em,
        );
        return;
      }
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
      await this.delegations.endInvolving(actor.workspaceId, userId, em);
      await this.review.recount(actor, `${userId} removed from the workspace`, em);
    });
  }

  /** An invitation of 7 days, whose mail the worker writes (with the link) once this commits. */
  private async invite(
    actor: Actor,
    userId: string,
    role: Role,
    action: 'member.invited' | 'member.invitation_resent',
    em: EntityManager,
  ): Promise<void> {
    const invitation = await this.invitations.create(
      { workspaceId: actor.workspaceId, userId, role, invitedBy: personOf(actor) },
      INVITATION_TTL_MS,
      em,
    );
    await this.outbox.push(
      { topic: 'mail.account', payload: { kind: 'invitation', invitationId: invitation.id } },
      em,
    );
    await this.audit.append(
      {
        ...auditActor(actor),
        action,
        after: { userId, role, expiresAt: invitation.expiresAt.toISOString() },
      },
      em,
    );
  }

  private async changeInvitedRole(
    actor: Actor,
    userId: string,
    role: Role,
    em: EntityManager,
  ): Promise<void> {
    const pending = await this.invitations.findPending(actor.workspaceId, userId, em);
    if (!pending) throw DomainError.notFound('Member');
    if ((pending.role === 'owner' || role === 'owner') && actor.role !== 'owner') throw onlyOwners();
    if (role === 'reviewer') {
      throw DomainError.ofFields(ErrorCode.Conflict, [
        {
          field: 'role',
          message: 'an invitation is for a role that logs in; revoke it and add them as a reviewer instead',
        },
      ]);
    }
    await this.invitations.setRole(pending.id, role, em);
    await this.audit.append(
      {
        ...auditActor(actor),
        action: 'member.role_changed',
        before: { userId, role: pending.role, status: 'invited' },
        after: { userId, role, status: 'invited' },
      },
      em,
    );
  }

  /** Nobody is added or invited twice. */
  private async assertNotInYet(
    workspaceId: string,
    userId: string,
    email: string,
    em: EntityManager,
  ): Promise<void> {
    if (await this.workspaces.findMembership(workspaceId, userId, em)) {
      throw new DomainError(ErrorCode.Conflict, `${email} is already a member; change their role instead.`);
    }
    if (await this.invitations.findPending(workspaceId, userId, em)) {
      throw new DomainError(
        ErrorCode.Conflict,
        `${email} is invited already; resend the invitation (POST .../members/${userId}/resend-invitation) instead.`,
      );
    }
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
    return inWorkspaceLock(this.db, this.workspaces, workspaceId, work);
  }
}
