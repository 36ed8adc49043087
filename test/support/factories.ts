import { randomUUID } from 'node:crypto';
import type { Role } from '@app/domain';
import { Client } from 'pg';
import type { components } from '../../clients/typescript';
import { apiClient } from './api-client';
import type { HttpClient } from './http-client';

type Schemas = components['schemas'];

/** The answer of a call through the generated client, or an error naming what failed. */
function created<T>(
  what: string,
  { data, error, response }: { data?: T; error?: unknown; response: Response },
): T {
  if (data === undefined) throw new Error(`${what} failed: ${response.status} ${JSON.stringify(error)}`);
  return data;
}

export const PASSWORD = 'correct horse battery staple';

export interface SignedUp {
  token: string;
  refreshToken: string;
  userId: string;
  email: string;
  workspaceId: string;
}

export const uniqueEmail = (label = 'user'): string => `${label}-${randomUUID().slice(0, 8)}@example.test`;

/** A new user with a password and their own first workspace (as owner). */
export async function signUp(
  http: HttpClient,
  overrides: Partial<{ email: string; name: string; workspaceName: string; timezone: string }> = {},
): Promise<SignedUp> {
  const email = overrides.email ?? uniqueEmail();
  const body = created(
    'signup',
    await apiClient(http).POST('/v1/auth/signup', {
      body: {
        email,
        password: PASSWORD,
        name: overrides.name ?? 'Test User',
        workspaceName: overrides.workspaceName ?? 'Test Workspace',
        ...(overrides.timezone ? { timezone: overrides.timezone } : {}),
      },
    }),
  );
  return {
    token: body.accessToken,
    refreshToken: body.refreshToken,
    userId: body.user.id,
    email,
    workspaceId: body.workspace.id,
  };
}

/**
 * Marks `userId`'s address proved, as accepting an invitation or a reset link does
 * (tested through those in their own suites): a shortcut for tests about something else.
 */
export async function proveAddress(http: HttpClient, userId: string): Promise<void> {
  if (!http.databaseUrl) throw new Error('proveAddress needs the app database (startApi gives it)');
  const db = new Client({ connectionString: http.databaseUrl });
  await db.connect();
  try {
    await db.query(`UPDATE users SET email_verified_at = now() WHERE id = $1`, [userId]);
  } finally {
    await db.end();
  }
}

/**
 * A person with a login, who proved their address, and is a member of `workspaceId`
 * with `role` (added by `ownerToken`, so at once).
 */
export async function memberWithRole(
  http: HttpClient,
  ownerToken: string,
  workspaceId: string,
  role: Role,
): Promise<SignedUp> {
  const person = await signUp(http, { name: `A ${role}` });
  await proveAddress(http, person.userId);
  created(
    'adding member',
    await apiClient(http, ownerToken).POST('/v1/workspaces/{workspaceId}/members', {
      params: { path: { workspaceId } },
      body: { email: person.email, role },
    }),
  );
  return { ...person, workspaceId };
}

/** A new API key of `workspaceId` acting as `role`. */
export async function apiKey(
  http: HttpClient,
  ownerToken: string,
  workspaceId: string,
  role: 'contributor' | 'editor',
): Promise<{ id: string; key: string }> {
  const { id, key } = created(
    'creating API key',
    await apiClient(http, ownerToken).POST('/v1/workspaces/{workspaceId}/api-keys', {
      params: { path: { workspaceId } },
      body: { name: `${role} key`, role },
    }),
  );
  return { id, key };
}

/** A channel of `workspaceId` (log publisher unless told otherwise). */
export async function channel(
  http: HttpClient,
  token: string,
  workspaceId: string,
  overrides: Partial<Schemas['CreateChannelDto']> = {},
): Promise<Schemas['ChannelView']> {
  return created(
    'creating channel',
    await apiClient(http, token).POST('/v1/workspaces/{workspaceId}/channels', {
      params: { path: { workspaceId } },
      body: { name: 'Main', network: 'x', publisher: { kind: 'log' }, ...overrides },
    }),
  );
}

/** The workspace's default workflow: one stage that `required` members with the approver role sign off. */
export async function approverWorkflow(
  http: HttpClient,
  token: string,
  workspaceId: string,
  { name = 'W', stage = 'S', required = 1 }: { name?: string; stage?: string; required?: number } = {},
): Promise<Schemas['WorkflowView']> {
  return created(
    'creating workflow',
    await apiClient(http, token).POST('/v1/workspaces/{workspaceId}/workflows', {
      params: { path: { workspaceId } },
      body: {
        name,
        isDefault: true,
        stages: [{ name: stage, approvers: { roles: ['approver'] }, required }],
      },
    }),
  );
}

/** An ISO instant `minutes` from now. */
export const inMinutes = (minutes: number): string => new Date(Date.now() + minutes * 60_000).toISOString();

/** A draft post (text and time filled in unless given). */
export async function draft(
  http: HttpClient,
  token: string,
  workspaceId: string,
  body: Pick<Schemas['CreatePostDto'], 'channelId'> & Partial<Schemas['CreatePostDto']>,
): Promise<Schemas['PostView']> {
  return created(
    'creating post',
    await apiClient(http, token).POST('/v1/workspaces/{workspaceId}/posts', {
      params: { path: { workspaceId } },
      body: { text: 'Hello', scheduledAt: inMinutes(60), ...body },
    }),
  );
}
