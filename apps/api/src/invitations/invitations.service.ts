import { DomainError, ErrorCode, type Actor } from '@app/domain';
import {
  AuditRepository,
  InvitationsRepository,
  UsersRepository,
  WorkspacesRepository,
  type ClientInfo,
  type Invitation,
  type UserEntity,
  type WorkspaceEntity,
} from '@app/persistence';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ApprovalsService } from '../approvals/approvals.service';
import { auditActor } from '../audit/audit-actor';
import { AuthService, type IssuedToken, type MfaChallenge } from '../auth/auth.service';
import { LoginThrottle } from '../auth/login-throttle';
import { PasswordHasher } from '../auth/password-hasher';
import { newPasswordProblem } from '../auth/password-strength';

const gone = (message: string) => new DomainError(ErrorCode.Gone, message);

/** An invitation that may still be accepted, with whom and what it is for. */
export interface OpenInvitation {
  invitation: Invitation;
  user: UserEntity;
  workspace: WorkspaceEntity;
}

/**
 * Accepting an invitation: the person chooses a name and a password (or, with an
 * account already, proves it with theirs) and becomes a member with the invited
 * role, in the workspace's lock as every membership change is, then is signed in.
 */
@Injectable()
export class InvitationsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly invitations: InvitationsRepository,
    private readonly users: UsersRepository,
    private readonly workspaces: WorkspacesRepository,
    private readonly audit: AuditRepository,
    private readonly review: ApprovalsService,
    private readonly auth: AuthService,
    private readonly hasher: PasswordHasher,
    private readonly throttle: LoginThrottle,
  ) {}

  /** The invitation of a link, while it may be accepted; why not, otherwise (404 unknown, 410 spent). */
  async open(token: string): Promise<OpenInvitation> {
    return this.opened(await this.invitations.findByToken(token));
  }

  /** As `open`, by the invitation's id (a sign-in that began with its link). */
  async openById(id: string): Promise<OpenInvitation> {
    return this.opened(await this.invitations.findById(id));
  }

  private async opened(invitation: Invitation | null): Promise<OpenInvitation> {
    if (!invitation) throw DomainError.notFound('Invitation');
    if (invitation.acceptedAt) throw gone('This invitation has been accepted already: log in instead.');
    if (invitation.revokedAt) {
      throw gone(
        'This invitation was withdrawn, or a newer link was sent: use the latest e-mail, or ask for one.',
      );
    }
    if (invitation.expiresAt.getTime() < Date.now()) {
      throw gone('This invitation has expired: ask the person who invited you to send it again.');
    }
    const [user, workspace] = await Promise.all([
      this.users.findById(invitation.userId),
      this.workspaces.findById(invitation.workspaceId),
    ]);
    if (!user || !workspace) throw DomainError.notFound('Invitation');
    return { invitation, user, workspace };
  }

  async accept(
    token: string,
    input: { name?: string; password: string },
    client: ClientInfo,
  ): Promise<(IssuedToken | MfaChallenge) & OpenInvitation> {
    const opened = await this.open(token);
    const passwordHash = await this.checkedPassword(opened.user, input, client);
    await this.join(opened, { passwordHash, name: input.name });
    // Someone with two-factor sign-in proved only their password here: the code comes next.
    const session = await this.auth.sessionOrChallenge(opened.user, client, 'invitation');
    return { ...session, ...opened, user: { ...opened.user, name: input.name ?? opened.user.name } };
  }

  /** Accepts for `userId`, whose e-mail an identity provider has just vouched for (single sign-on). */
  async acceptAs(invitationId: string, userId: string): Promise<OpenInvitation> {
    const opened = await this.openById(invitationId);
    if (opened.user.id !== userId) {
      throw new DomainError(
        ErrorCode.Forbidden,
        'This invitation is for another e-mail address than the one you signed in with.',
      );
    }
    await this.join(opened, { passwordHash: null });
    return opened;
  }

  /** Makes the invitee a member with the invited role, in the workspace's lock as every membership change is. */
  private async join(
    { invitation, user }: OpenInvitation,
    changes: { passwordHash: string | null; name?: string },
  ): Promise<void> {
    const actor: Actor = {
      kind: 'user',
      userId: user.id,
      workspaceId: invitation.workspaceId,
      role: invitation.role,
    };
    await this.db.transaction(async (em) => {
      if (!(await this.workspaces.lockById(invitation.workspaceId, em)))
        throw DomainError.notFound('Invitation');
      if (!(await this.invitations.accept(invitation.id, em))) {
        throw gone('This invitation was accepted, withdrawn or expired meanwhile.');
      }
      // The link proves the mailbox: a password someone set before on this address is out.
      await this.auth.proveMailbox(user, changes.passwordHash, em);
      if (changes.passwordHash) await this.users.setPassword(user.id, changes.passwordHash, em);
      await this.users.update(user.id, { name: changes.name }, em);
      await this.workspaces.addMembership(invitation.workspaceId, user.id, invitation.role, em);
      await this.audit.append(
        {
          ...auditActor(actor),
          action: 'member.invitation_accepted',
          after: { userId: user.id, role: invitation.role, invitedBy: invitation.invitedBy },
        },
        em,
      );
      await this.review.recount(actor, `${user.id} accepted an invitation as ${invitation.role}`, em);
    });
  }

  /**
   * The hash of the password chosen now; or, when the person has an account whose
   * address they proved, null once its password is given (throttled as logins are).
   * A password on an unproved address is not asked for: whoever set it may not own
   * the mailbox, and this link proves who does.
   */
  private async checkedPassword(
    user: UserEntity,
    input: { name?: string; password: string },
    client: ClientInfo,
  ): Promise<string | null> {
    if (!hasProvedAccount(user)) {
      const problem = newPasswordProblem(input.password, [user.email, input.name ?? user.name]);
      if (problem) throw DomainError.invalid('password', problem);
      return this.hasher.hash(input.password);
    }
    await this.throttle.assertAllowed(user.email, client.ip);
    if (!(await this.hasher.verify(user.passwordHash, input.password))) {
      await this.throttle.recordFailure(user.email, client.ip);
      throw DomainError.ofFields(ErrorCode.Forbidden, [
        { field: 'password', message: 'you have an account: this must be its password' },
      ]);
    }
    await this.throttle.recordSuccess(user.email, client.ip);
    return null;
  }
}

/** An account whose owner proved the address and has a password: an invitation asks for it. */
export const hasProvedAccount = (user: UserEntity): boolean =>
  user.passwordHash !== null && user.emailVerifiedAt !== null;
