import { randomUUID } from 'node:crypto';
import type { Role } from '@app/domain';
import type { HttpClient } from './http-client';

export const PASSWORD = 'correct horse battery staple';

export interface SignedUp {
  token: string;
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
  const res = await http.post('/v1/auth/signup', {
    email,
    password: PASSWORD,
    name: overrides.name ?? 'Test User',
    workspaceName: overrides.workspaceName ?? 'Test Workspace',
    ...(overrides.timezone ? { timezone: overrides.timezone } : {}),
  });
  if (res.status !== 201) throw new Error(`signup failed: ${res.status} ${res.text}`);
  return { token: res.body.accessToken, userId: res.body.user.id, email, workspaceId: res.body.workspace.id };
}

/** A person with a login who is a member of `workspaceId` with `role` (added by `ownerToken`). */
export async function memberWithRole(
  http: HttpClient,
  ownerToken: string,
  workspaceId: string,
  role: Role,
): Promise<SignedUp> {
  const person = await signUp(http, { name: `A ${role}` });
  const res = await http.post(
    `/v1/workspaces/${workspaceId}/members`,
    { email: person.email, role },
    { token: ownerToken },
  );
  if (res.status !== 201) throw new Error(`adding member failed: ${res.status} ${res.text}`);
  return { ...person, workspaceId };
}

/** A new API key of `workspaceId` acting as `role`. */
export async function apiKey(
  http: HttpClient,
  ownerToken: string,
  workspaceId: string,
  role: 'contributor' | 'editor',
): Promise<{ id: string; key: string }> {
  const res = await http.post(
    `/v1/workspaces/${workspaceId}/api-keys`,
    { name: `${role} key`, role },
    { token: ownerToken },
  );
  if (res.status !== 201) throw new Error(`creating API key failed: ${res.status} ${res.text}`);
  return { id: res.body.id, key: res.body.key };
}

/** A channel of `workspaceId` (log publisher unless told otherwise). */
export async function channel(
  http: HttpClient,
  token: string,
  workspaceId: string,
  overrides: Partial<{ name: string; network: string; publisher: unknown }> = {},
): Promise<{ id: string }> {
  const res = await http.post(
    `/v1/workspaces/${workspaceId}/channels`,
    { name: 'Main', network: 'x', publisher: { kind: 'log' }, ...overrides },
    { token },
  );
  if (res.status !== 201) throw new Error(`creating channel failed: ${res.status} ${res.text}`);
  return { id: res.body.id };
}

/** The workspace's default workflow: one stage that `required` members with the approver role sign off. */
export async function approverWorkflow(
  http: HttpClient,
  token: string,
  workspaceId: string,
  { name = 'W', stage = 'S', required = 1 }: { name?: string; stage?: string; required?: number } = {},
): Promise<void> {
  const res = await http.post(
    `/v1/workspaces/${workspaceId}/workflows`,
    { name, isDefault: true, stages: [{ name: stage, approvers: { roles: ['approver'] }, required }] },
    { token },
  );
  if (res.status !== 201) throw new Error(`creating workflow failed: ${res.status} ${res.text}`);
}

/** An ISO instant `minutes` from now. */
export const inMinutes = (minutes: number): string => new Date(Date.now() + minutes * 60_000).toISOString();

/** A draft post; returns the response body. */
export async function draft(
  http: HttpClient,
  token: string,
  workspaceId: string,
  body: Record<string, unknown>,
): Promise<any> {
  const res = await http.post(
    `/v1/workspaces/${workspaceId}/posts`,
    { text: 'Hello', scheduledAt: inMinutes(60), ...body },
    { token },
  );
  if (res.status !== 201) throw new Error(`creating post failed: ${res.status} ${res.text}`);
  return res.body;
}
