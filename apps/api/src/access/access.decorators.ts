import { DomainError, ErrorCode, type Actor, type Capability } from '@app/domain';
import type { UserEntity } from '@app/persistence';
import { createParamDecorator, SetMetadata, type ExecutionContext } from '@nestjs/common';
import type { AuthenticatedRequest, Principal } from './principal';

export const PUBLIC_KEY = 'countersign:public';
export const CAPABILITY_KEY = 'countersign:capability';

/** The route needs no credentials (signup, login, health, review links). */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(PUBLIC_KEY, true);

/**
 * The capability a workspace-scoped route requires, checked against the caller's
 * current role in that workspace (ROLE_CAPABILITIES). Every route under
 * /v1/workspaces/:workspaceId must carry one; the guard refuses routes that don't.
 */
export const Can = (capability: Capability): MethodDecorator => SetMetadata(CAPABILITY_KEY, capability);

/** The actor (user or API key, with its role in the route's workspace). */
export const CurrentActor = createParamDecorator((_: unknown, ctx: ExecutionContext): Actor => {
  const actor = ctx.switchToHttp().getRequest<AuthenticatedRequest>().actor;
  if (!actor) throw new Error('CurrentActor used on a route without :workspaceId');
  return actor;
});

/** The authenticated principal, for routes outside a workspace (GET /v1/me). */
export const CurrentPrincipal = createParamDecorator((_: unknown, ctx: ExecutionContext): Principal => {
  const principal = ctx.switchToHttp().getRequest<AuthenticatedRequest>().principal;
  if (!principal) throw new Error('CurrentPrincipal used on a public route');
  return principal;
});

/** A person signed in, with their session. */
export type Login = Extract<Principal, { kind: 'user' }>;

function loginOf(ctx: ExecutionContext): Login {
  const principal = ctx.switchToHttp().getRequest<AuthenticatedRequest>().principal;
  if (principal?.kind !== 'user')
    throw new DomainError(ErrorCode.Forbidden, 'Only people can do this, not API keys.');
  return principal;
}

/** The signed-in user; API keys are refused (403) on routes that take this. */
export const CurrentUser = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): UserEntity => loginOf(ctx).user,
);

/** The signed-in user and their session; API keys are refused (403) on routes that take this. */
export const CurrentLogin = createParamDecorator((_: unknown, ctx: ExecutionContext): Login => loginOf(ctx));

/** The time zone of the route's workspace (read by the access guard with the caller's role). */
export const WorkspaceTimezone = createParamDecorator((_: unknown, ctx: ExecutionContext): string => {
  const zone = ctx.switchToHttp().getRequest<AuthenticatedRequest>().workspaceTimezone;
  if (!zone) throw new Error('WorkspaceTimezone used on a route without :workspaceId');
  return zone;
});
