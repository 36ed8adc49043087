import { DomainError, ErrorCode, roleCan, type Actor, type Capability, isUuid } from '@app/domain';
import { Injectable, Logger, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { CAPABILITY_KEY, PUBLIC_KEY } from './access.decorators';
import { CredentialsService, type WorkspaceAccess } from './credentials.service';
import type { AuthenticatedRequest, Principal } from './principal';

/**
 * The one door: authenticates every non-public route, and for routes under
 * /v1/workspaces/:workspaceId resolves the caller's *current* role there (from the
 * database on every request, so a removed member or revoked key is refused at once)
 * and checks the route's capability. A workspace the caller is not in answers 404,
 * exactly as one that does not exist.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  private readonly logger = new Logger(AccessGuard.name);

  constructor(
    private readonly reflector: Reflector,
    private readonly credentials: CredentialsService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;

    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const workspaceId = (request.params as Record<string, string | undefined>).workspaceId;
    const scoped = workspaceId !== undefined && isUuid(workspaceId) ? workspaceId.toLowerCase() : undefined;
    const { principal, access } = await this.credentials.authenticate(request.headers.authorization, scoped);
    request.principal = principal;

    // Outside a workspace (GET /v1/me, POST /v1/workspaces) being authenticated is enough;
    // routes only people may use take @CurrentUser(), which refuses API keys.
    if (workspaceId === undefined) return true;

    const capability = this.reflector.get<Capability | undefined>(CAPABILITY_KEY, context.getHandler());
    if (!capability) {
      this.logger.error(`route ${request.routeOptions.url ?? ''} under a workspace has no @Can(): refused`);
      throw new DomainError(ErrorCode.Forbidden, 'This route is not open to anyone.');
    }
    if (!scoped || !access) throw DomainError.notFound('Workspace');

    if (access.secondFactorMissing) {
      throw new DomainError(
        ErrorCode.MfaRequired,
        principal.kind === 'user'
          ? `This workspace asks the ${access.role} role for two-factor sign-in: turn it on (POST /v1/me/mfa/totp), then log in with a code.`
          : "This workspace asks the role of this key's creator for two-factor sign-in, which they have not turned on.",
      );
    }
    request.actor = actorOf(principal, scoped, access);
    request.workspaceTimezone = access.timezone;
    if (!roleCan(request.actor.role, capability)) {
      throw new DomainError(
        ErrorCode.Forbidden,
        `The ${request.actor.role} role may not do this (${capability}).`,
      );
    }
    return true;
  }
}

function actorOf(principal: Principal, workspaceId: string, access: WorkspaceAccess): Actor {
  return principal.kind === 'api-key'
    ? {
        kind: 'api-key',
        apiKeyId: principal.key.id,
        onBehalfOf: principal.onBehalfOf,
        workspaceId,
        role: principal.key.role,
      }
    : {
        kind: 'user',
        userId: principal.user.id,
        sessionId: principal.sessionId,
        workspaceId,
        role: access.role,
      };
}
