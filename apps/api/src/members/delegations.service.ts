import { DomainError, ErrorCode, parseInstant, personOf, type Actor, type FieldError } from '@app/domain';
import {
  AuditRepository,
  DelegationsRepository,
  WorkspacesRepository,
  type Delegation,
} from '@app/persistence';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { auditActor } from '../audit/audit-actor';
import { inWorkspaceLock } from './workspace-lock';
import type { DelegationDto } from './dto/delegation.dto';

/** The longest window a stand-in may be named for. */
const MAX_DAYS = 180;

/**
 * Stand-in approvers. A member names someone to sign off for them while they are
 * away (an owner or admin may do it for them, but never name themself: that would
 * let an admin take anyone's seat in a stage). Changes are made under the workspace
 * lock, as membership changes are, and audited.
 */
@Injectable()
export class DelegationsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly workspaces: WorkspacesRepository,
    private readonly delegations: DelegationsRepository,
    private readonly audit: AuditRepository,
  ) {}

  async get(actor: Actor, userId: string): Promise<Delegation> {
    await this.member(actor, userId);
    const current = (await this.delegations.currentOf(actor.workspaceId, [userId])).get(userId);
    if (!current) throw DomainError.notFound('Delegation');
    return current;
  }

  set(actor: Actor, userId: string, dto: DelegationDto): Promise<Delegation> {
    return this.inWorkspaceLock(actor.workspaceId, async (em) => {
      this.assertMayManage(actor, userId);
      const member = await this.member(actor, userId, em);
      if (member.role === 'contributor') {
        throw new DomainError(
          ErrorCode.Conflict,
          'A contributor never signs off, so has nobody to stand in for them.',
        );
      }
      const errors: FieldError[] = [];
      const delegate = await this.workspaces.findMembership(actor.workspaceId, dto.delegateUserId, em);
      if (dto.delegateUserId === userId) {
        errors.push({ field: 'delegateUserId', message: 'must be someone else' });
      } else if (!delegate) {
        errors.push({ field: 'delegateUserId', message: 'is not a member of this workspace' });
      } else if (delegate.role === 'contributor') {
        errors.push({ field: 'delegateUserId', message: 'is a contributor, who cannot sign off' });
      } else if (actor.kind === 'user' && dto.delegateUserId === actor.userId) {
        throw new DomainError(
          ErrorCode.Forbidden,
          'Only the member themself may name you as their stand-in.',
          [{ field: 'delegateUserId', message: 'is you: ask the member to name you' }],
        );
      }
      const from = parseInstant(dto.from)!;
      const until = parseInstant(dto.until)!;
      if (until <= from) errors.push({ field: 'until', message: 'must be after from' });
      else if (until.getTime() <= Date.now())
        errors.push({ field: 'until', message: 'must be in the future' });
      else if (until.getTime() - from.getTime() > MAX_DAYS * 86_400_000) {
        errors.push({ field: 'until', message: `must be at most ${MAX_DAYS} days after from` });
      }
      if (errors.length > 0) throw DomainError.ofFields(ErrorCode.ValidationFailed, errors);

      const { ended, started } = await this.delegations.replace(
        {
          workspaceId: actor.workspaceId,
          userId,
          delegateUserId: dto.delegateUserId,
          startsAt: from,
          endsAt: until,
          note: dto.note?.trim() || null,
          createdByUserId: personOf(actor),
        },
        em,
      );
      await this.audit.append(
        {
          ...auditActor(actor),
          action: 'member.delegation_set',
          before: ended ? record(ended) : null,
          after: record(started),
        },
        em,
      );
      return started;
    });
  }

  async end(actor: Actor, userId: string): Promise<void> {
    await this.inWorkspaceLock(actor.workspaceId, async (em) => {
      this.assertMayManage(actor, userId);
      await this.member(actor, userId, em);
      const ended = await this.delegations.end(actor.workspaceId, userId, em);
      if (!ended) throw DomainError.notFound('Delegation');
      await this.audit.append(
        { ...auditActor(actor), action: 'member.delegation_ended', before: record(ended) },
        em,
      );
    });
  }

  /** The member themself, or an owner or admin. */
  private assertMayManage(actor: Actor, userId: string): void {
    const self = actor.kind === 'user' && actor.userId === userId;
    if (!self && actor.role !== 'owner' && actor.role !== 'admin') {
      throw new DomainError(
        ErrorCode.Forbidden,
        'Only the member themself, an owner or an admin may do this.',
      );
    }
  }

  private async member(actor: Actor, userId: string, em?: EntityManager) {
    const member = await this.workspaces.findMembership(actor.workspaceId, userId, em);
    if (!member) throw DomainError.notFound('Member');
    return member;
  }

  private inWorkspaceLock<T>(workspaceId: string, work: (em: EntityManager) => Promise<T>): Promise<T> {
    return inWorkspaceLock(this.db, this.workspaces, workspaceId, work);
  }
}

const record = (d: Delegation) => ({
  userId: d.userId,
  delegateUserId: d.delegateUserId,
  from: d.startsAt.toISOString(),
  until: d.endsAt.toISOString(),
});
