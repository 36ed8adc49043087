import type { Actor } from '@app/domain';
import type { ApiKeyEntity, UserEntity } from '@app/persistence';
import type { FastifyRequest } from 'fastify';

/** Who the credentials belong to, before any workspace is considered. */
export type Principal =
  /** `sessionId`: the login session the token belongs to; `secondFactor`: it was opened or confirmed with one still on */
  | { kind: 'user'; user: UserEntity; sessionId: string; secondFactor: boolean }
  /** a key acts for the member who created it */
  | { kind: 'api-key'; key: ApiKeyEntity; onBehalfOf: string };

/** What the access guard leaves on the request for the handlers. */
export interface AuthenticatedRequest extends FastifyRequest {
  principal?: Principal;
  actor?: Actor;
  /** The IANA zone of the workspace the route names, read with the caller's role. */
  workspaceTimezone?: string;
}
