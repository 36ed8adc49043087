import { createCountersignClient } from '../clients/typescript';
import { channel, inMinutes, memberWithRole, signUp } from './support/factories';
import { startApi, type TestApi } from './support/test-app';

/**
 * Workflows, posts, approvals and the calendar driven through the client generated
 * from openapi.json: a schema that says something the API does not do fails here,
 * at compile time (tsc) or when the answer is read.
 */
describe('The generated TypeScript client', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startApi();
  });
  afterAll(() => api.close());

  const clientFor = (token: string) => createCountersignClient({ baseUrl: api.http.baseUrl, token });

  it('takes a post from draft to approved and onto the calendar', async () => {
    const owner = await signUp(api.http, { timezone: 'Europe/Paris' });
    const approver = await memberWithRole(api.http, owner.token, owner.workspaceId, 'approver');
    const ch = await channel(api.http, owner.token, owner.workspaceId);
    const asOwner = clientFor(owner.token);
    const workspaceId = owner.workspaceId;

    const workflow = await asOwner.POST('/v1/workspaces/{workspaceId}/workflows', {
      params: { path: { workspaceId } },
      body: {
        name: 'One approver',
        isDefault: true,
        stages: [{ name: 'Brand', approvers: { roles: ['approver'] }, required: 1 }],
      },
    });
    expect(workflow.response.status).toBe(201);
    expect(workflow.data?.stages.map((s) => s.name)).toEqual(['Brand']);
    const listed = await asOwner.GET('/v1/workspaces/{workspaceId}/workflows', {
      params: { path: { workspaceId } },
    });
    expect(listed.data?.items.map((w) => w.id)).toEqual([workflow.data?.id]);

    const created = await asOwner.POST('/v1/workspaces/{workspaceId}/posts', {
      params: { path: { workspaceId } },
      body: { channelId: ch.id, text: 'Spring menu is here', scheduledAt: '2027-03-28T09:30' },
    });
    expect(created.response.status).toBe(201);
    const post = created.data!;
    expect({ status: post.status, local: post.scheduledAtLocal }).toEqual({
      status: 'draft',
      local: '2027-03-28T09:30:00+02:00',
    });
    const postPath = { path: { workspaceId, postId: post.id } };

    const submitted = await asOwner.POST('/v1/workspaces/{workspaceId}/posts/{postId}/submit', {
      params: postPath,
    });
    expect(submitted.data?.review?.stages[0]).toMatchObject({ name: 'Brand', state: 'open', required: 1 });

    const decided = await clientFor(approver.token).POST(
      '/v1/workspaces/{workspaceId}/posts/{postId}/approvals',
      {
        params: postPath,
        body: { decision: 'approve', version: post.version },
      },
    );
    expect(decided.response.status).toBe(201);
    expect(decided.data?.status).toBe('approved');
    expect(decided.data?.review?.decisions.map((d) => [d.user, d.decision])).toEqual([
      [{ id: approver.userId, name: 'A approver', email: approver.email }, 'approve'],
    ]);

    const got = await asOwner.GET('/v1/workspaces/{workspaceId}/posts/{postId}', { params: postPath });
    expect(got.data?.review?.stages[0].approvals.map((a) => a.user.name)).toEqual(['A approver']);
    const page = await asOwner.GET('/v1/workspaces/{workspaceId}/posts', {
      params: { path: { workspaceId }, query: { status: ['approved', 'publishing'], limit: 10 } },
    });
    expect(page.data?.items.map((p) => p.id)).toEqual([post.id]);

    const calendar = await asOwner.GET('/v1/workspaces/{workspaceId}/calendar', {
      params: { path: { workspaceId }, query: { from: '2027-03-28', to: '2027-03-28' } },
    });
    expect(calendar.data?.timezone).toBe('Europe/Paris');
    expect(calendar.data?.days.map((d) => [d.date, d.posts.map((p) => [p.id, p.localTime])])).toEqual([
      ['2027-03-28', [[post.id, '2027-03-28T09:30:00+02:00']]],
    ]);
  });

  it('types a refusal as a problem naming the field', async () => {
    const owner = await signUp(api.http);
    const ch = await channel(api.http, owner.token, owner.workspaceId);
    const refused = await clientFor(owner.token).POST('/v1/workspaces/{workspaceId}/posts', {
      params: { path: { workspaceId: owner.workspaceId } },
      body: { channelId: ch.id, text: 'Too soon', scheduledAt: '2020-01-01T10:00:00Z' },
    });
    expect(refused.response.status).toBe(400);
    expect(refused.error?.code).toBe('validation_failed');
    expect(refused.error?.errors?.map((e) => e.field)).toEqual(['scheduledAt']);
    const other = await signUp(api.http);
    const foreign = await clientFor(other.token).GET('/v1/workspaces/{workspaceId}/posts', {
      params: { path: { workspaceId: owner.workspaceId } },
    });
    expect(foreign.response.status).toBe(404);
    expect(foreign.error?.code).toBe('not_found');
    const later = await clientFor(owner.token).POST('/v1/workspaces/{workspaceId}/posts', {
      params: { path: { workspaceId: owner.workspaceId } },
      body: { channelId: ch.id, text: 'Fine', scheduledAt: inMinutes(60) },
    });
    expect(later.data?.status).toBe('draft');
  });
});
