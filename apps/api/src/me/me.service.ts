import { AppConfig } from '@app/config';
import { DomainError } from '@app/domain';
import {
  AccountEventsRepository,
  SessionsRepository,
  type AccountEvent,
  type ClientInfo,
  UsersRepository,
  type Page,
  type SessionRow,
  type UserEntity,
} from '@app/persistence';
import { Injectable } from '@nestjs/common';
import { AuthService } from '../auth/auth.service';
import { WorkspacesService } from '../workspaces/workspaces.service';
import { userView, workspaceView } from '../workspaces/workspace.views';
import type { UpdateMeDto } from './dto/update-me.dto';
import type { Principal } from '../access/principal';
import type { MeApiKeyView, MeUserView } from './me.views';

/** A person's own account: who they are, their workspaces, their settings. */
@Injectable()
export class MeService {
  constructor(
    private readonly users: UsersRepository,
    private readonly workspaces: WorkspacesService,
    private readonly sessions: SessionsRepository,
    private readonly events: AccountEventsRepository,
    private readonly auth: AuthService,
    private readonly config: AppConfig,
  ) {}

  /** Who the credentials belong to: a person with their workspaces, or an API key with its own. */
  async of(principal: Principal): Promise<MeUserView | MeApiKeyView> {
    if (principal.kind === 'user') return this.view(principal.user);
    const { key } = principal;
    const workspace = await this.workspaces.workspaceOfKey(key);
    return { apiKey: { id: key.id, name: key.name, role: key.role, workspace: workspaceView(workspace) } };
  }

  async view(user: UserEntity): Promise<MeUserView> {
    const memberships = await this.workspaces.membershipsOf(user.id);
    return {
      user: userView(user),
      memberships: memberships.map(({ workspace, role }) => ({ role, workspace: workspaceView(workspace) })),
      mailDigest: user.mailDigest,
      totpEnabled: user.totpEnabledAt !== null,
    };
  }

  listSessions(user: UserEntity, limit: number, cursor?: string): Promise<Page<SessionRow>> {
    return this.sessions.listRunning(user.id, this.config.refreshTtlDays * 86_400_000, limit, cursor);
  }

  async endSession(user: UserEntity, sessionId: string, client: ClientInfo): Promise<void> {
    if (!(await this.auth.endSession(user.id, sessionId, 'revoked', client)))
      throw DomainError.notFound('Session');
  }

  securityEvents(user: UserEntity, limit: number, cursor?: string): Promise<Page<AccountEvent>> {
    return this.events.list(user.id, limit, cursor);
  }

  async update(user: UserEntity, dto: UpdateMeDto): Promise<MeUserView> {
    return this.view(await this.users.update(user.id, dto));
  }
}
